namespace WsPool.Operator.Runtime;

/// <summary>The identity of a namespaced object in caches and work queues: "namespace/name", like client-go's keys.</summary>
public readonly record struct ObjectKey(string Namespace, string Name)
{
    public override string ToString() => $"{Namespace}/{Name}";

    public static ObjectKey Of(k8s.IKubernetesObject<k8s.Models.V1ObjectMeta> obj) =>
        new(obj.Metadata.NamespaceProperty ?? "", obj.Metadata.Name ?? "");
}
