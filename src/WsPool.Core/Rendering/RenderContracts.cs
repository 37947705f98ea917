using k8s;
using k8s.Models;

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
    /// The generated values (Redis password, dynamic-cookie key) the pool's objects carry. The operator generates
    /// each once and passes it in; offline rendering leaves them out (see <see cref="GeneratedSecret"/>).
    /// </summary>
    public IReadOnlyDictionary<GeneratedValue, string>? GeneratedValues { get; init; }

    /// <summary>
    /// During a connection-aware rollout, the one revision (pod-template-hash) the backend Services select, so the
    /// balancer sends new connections only there. Unset: every backend pod.
    /// </summary>
    public string? ServingRevision { get; init; }
}
