using k8s.Models;
using WsPool.Core.Api;

namespace WsPool.Core.Rendering;

/// <summary>
/// The backend Services: a ClusterIP Service (a stable in-cluster address, and what Ingress and Gateway routes
/// point at) and a headless Service whose DNS name resolves to every ready backend pod, which the managed
/// balancers use to discover servers without a reload.
/// </summary>
public static class BackendServicesRenderer
{
    /// <summary>
    /// The ClusterIP Service, with the annotations the balancer reads from it rather than from its own objects (the
    /// HAProxy Kubernetes Ingress Controller's cookie-persistence, pod-maxconn); none for every other balancer, so
    /// their Services carry no foreign annotations.
    /// </summary>
    public static V1Service RenderClusterIp(WebSocketPool pool, IReadOnlyDictionary<string, string>? balancerAnnotations = null,
        string? servingRevision = null)
    {
        var names = PoolNames.Of(pool);
        var service = Service(pool, names.Backend, new V1ServiceSpec { Type = "ClusterIP" }, servingRevision);
        if (balancerAnnotations is { Count: > 0 } annotations)
            service.Metadata.Annotations = new Dictionary<string, string>(annotations);
        return service;
    }

    public static V1Service RenderHeadless(WebSocketPool pool, string? servingRevision = null)
    {
        var names = PoolNames.Of(pool);
        return Service(pool, names.HeadlessService, new V1ServiceSpec
        {
            Type = "ClusterIP",
            ClusterIP = "None",
            // Only ready pods are published: a balancer must never discover a pod that is starting or draining.
            PublishNotReadyAddresses = false,
        }, servingRevision);
    }

    /// <summary>
    /// A Service over the backend pods; with <paramref name="servingRevision"/> (a connection-aware rollout) only over
    /// that revision's pods, so old pods leave the endpoints, and the balancers, while they keep their connections.
    /// </summary>
    private static V1Service Service(WebSocketPool pool, string name, V1ServiceSpec spec, string? servingRevision)
    {
        var names = PoolNames.Of(pool);
        spec.Selector = PoolLabels.Selector(names.Pool, PoolLabels.BackendComponent);
        if (servingRevision is not null) spec.Selector[PodTemplateRevision.PodTemplateHashLabel] = servingRevision;
        spec.Ports = new List<V1ServicePort>
        {
            new()
            {
                Name = BackendPort.ServicePortName,
                Protocol = "TCP",
                // The Service listens on the pods' own port number, so the ClusterIP and headless (pod IP)
                // addresses are reached at the same port.
                Port = BackendPort.Number(pool),
                TargetPort = BackendPort.Target(pool),
                AppProtocol = "kubernetes.io/ws",
            },
        };
        return new V1Service
        {
            ApiVersion = "v1",
            Kind = V1Service.KubeKind,
            Metadata = new V1ObjectMeta
            {
                Name = name,
                NamespaceProperty = names.Namespace,
                Labels = PoolLabels.For(names.Pool, PoolLabels.BackendComponent),
            },
            Spec = spec,
        };
    }
}
