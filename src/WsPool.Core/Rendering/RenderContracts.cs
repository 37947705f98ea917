using k8s;
using k8s.Models;
using WsPool.Core.Api;

namespace WsPool.Core.Rendering;

/// <summary>Inputs to rendering besides the pool itself. Everything here is explicit so rendering stays pure.</summary>
public sealed record RenderOptions
{
    /// <summary>HAProxy's DNS resolver as host:port instead of the cluster's resolv.conf (tests: a local dnsmasq).</summary>
    public string? ResolverAddress { get; init; }

    /// <summary>Static upstream servers (host:port) for a managed NGINX; the operator passes the ready endpoints.</summary>
    public IReadOnlyList<string>? Backends { get; init; }

    /// <summary>
    /// The autoscaler's decision for the backend Deployment's replicas. Honoured only when spec.scaling.enabled is
    /// true, and clamped to [minReplicas, maxReplicas]; with scaling off, spec.replicas rules so `kubectl scale` works.
    /// Unset (offline rendering, or before the first poll) renders minReplicas. The rule is
    /// <see cref="BackendDeploymentRenderer.Replicas"/>.
    /// </summary>
    public int? BackendReplicas { get; init; }

    /// <summary>
    /// Values of generated Secrets (Redis password, dynamic-cookie key) by "secretName/key". The operator generates
    /// them once and passes them in; offline rendering leaves them out, and the Secret is rendered without data and
    /// annotated so the operator fills it on create. This keeps `wspool render` deterministic.
    /// </summary>
    public IReadOnlyDictionary<string, string>? SecretValues { get; init; }
}

/// <summary>What rendering one pool produced: the objects to apply, in apply order, and raw balancer config files.</summary>
public sealed record RenderedPool(
    WebSocketPool Pool,
    IReadOnlyList<IKubernetesObject<V1ObjectMeta>> Objects,
    IReadOnlyDictionary<string, string> ConfigFiles);
