using k8s.Models;

namespace WsPool.Operator.Kubernetes;

/// <summary>
/// What the operator reads of an owned object once it knows the object holds what it applied: metadata (identity,
/// owner, labels, the applied-hash annotation) and what status needs. The rest of the body — pod templates,
/// rendered configs — is already in the pool's spec, and at thousands of objects it is most of the cache's memory
/// (controller-runtime offers metadata-only watches for the same reason).
/// </summary>
public static class CompactCopies
{
    public static V1ObjectMeta Metadata(V1ObjectMeta m) => new()
    {
        Name = m.Name,
        NamespaceProperty = m.NamespaceProperty,
        Uid = m.Uid,
        ResourceVersion = m.ResourceVersion,
        Generation = m.Generation,
        CreationTimestamp = m.CreationTimestamp,
        DeletionTimestamp = m.DeletionTimestamp,
        Labels = m.Labels,
        Annotations = m.Annotations,
        OwnerReferences = m.OwnerReferences,
        Finalizers = m.Finalizers,
    };

    /// <summary>Replicas and selector (the autoscaler reads the current replicas) and the rollout status.</summary>
    public static V1Deployment Deployment(V1Deployment d) => new()
    {
        ApiVersion = d.ApiVersion,
        Kind = d.Kind,
        Metadata = Metadata(d.Metadata),
        Spec = d.Spec is null ? null : new V1DeploymentSpec { Replicas = d.Spec.Replicas, Selector = d.Spec.Selector },
        Status = d.Status,
    };

    public static V1Service Service(V1Service s) => new() { ApiVersion = s.ApiVersion, Kind = s.Kind, Metadata = Metadata(s.Metadata) };

    public static V1ConfigMap ConfigMap(V1ConfigMap c) => new() { ApiVersion = c.ApiVersion, Kind = c.Kind, Metadata = Metadata(c.Metadata) };

    /// <summary>A Secret keeps its data: generated values are read back from it so that applying never rotates them.</summary>
    public static V1Secret Secret(V1Secret s) => new()
    {
        ApiVersion = s.ApiVersion,
        Kind = s.Kind,
        Metadata = Metadata(s.Metadata),
        Data = s.Data,
        Type = s.Type,
        Immutable = s.Immutable,
    };

    public static V1PodDisruptionBudget PodDisruptionBudget(V1PodDisruptionBudget p) =>
        new() { ApiVersion = p.ApiVersion, Kind = p.Kind, Metadata = Metadata(p.Metadata) };

    public static V1Ingress Ingress(V1Ingress i) => new() { ApiVersion = i.ApiVersion, Kind = i.Kind, Metadata = Metadata(i.Metadata) };

    public static UnstructuredObject Unstructured(UnstructuredObject u) =>
        new() { ApiVersion = u.ApiVersion, Kind = u.Kind, Metadata = Metadata(u.Metadata) };
}
