using k8s;
using k8s.Models;
using WsPool.Core.Api;
using WsPool.Core.Rendering;

namespace WsPool.Core.Balancers;

/// <summary>
/// Everything about one kind of balancer, in one place: what it can express (its rules beyond the CRD's), what it
/// renders, what it needs from the cluster, where connection counts come from, and what the user must know about it.
/// <see cref="BalancerKinds"/> maps a spec to its kind; no other code asks which kind a pool uses. Adding a balancer
/// means one class implementing this and one line in the registry.
/// </summary>
public interface IBalancerKind
{
    /// <summary>How `wspool status` names it, e.g. "HAProxy L7" or "Ingress (HAProxyTech)".</summary>
    string Describe(WebSocketPoolSpec spec);

    /// <summary>
    /// The connection counts the autoscaler reads when spec.scaling.metrics.source is unset: the balancer's own
    /// per-server sessions where it reports them (a managed HAProxy), otherwise the pods' metrics.
    /// </summary>
    MetricsSource DefaultMetricsSource { get; }

    /// <summary>
    /// True when the config names every backend pod (a managed NGINX's upstream servers): it is rendered from the
    /// ready endpoints of the headless Service (<see cref="RenderOptions.Backends"/>) and must follow them.
    /// </summary>
    bool FollowsReadyEndpoints { get; }

    /// <summary>
    /// How long after the backend Services stop selecting a pod this balancer may still send it new connections
    /// (its DNS or endpoint refresh): a connection-aware rollout waits this long before it moves any client, so no
    /// client is moved onto a pod that is about to be drained too.
    /// </summary>
    TimeSpan RoutingSettleTime { get; }

    /// <summary>What this balancer cannot express, for a spec that passed the CRD's rules (all errors at once).</summary>
    IEnumerable<ValidationError> Check(WebSocketPoolSpec spec);

    /// <summary>The balancer's objects and config files for a valid pool.</summary>
    BalancerOutput Render(WebSocketPool pool, RenderOptions options);

    /// <summary>Generated values the balancer's objects carry (the dynamic-cookie key): the operator supplies them.</summary>
    IReadOnlyList<GeneratedValue> GeneratedValues(WebSocketPool pool);

    /// <summary>Annotations some ingress controllers read from the backend Service rather than from the Ingress.</summary>
    IReadOnlyDictionary<string, string> BackendServiceAnnotations(WebSocketPool pool);

    /// <summary>What the cluster must provide first (a CRD, an IngressClass); the operator reports what is missing.</summary>
    IReadOnlyList<ClusterPrerequisite> Prerequisites(WebSocketPoolSpec spec);

    /// <summary>What the user must know that the generated objects cannot say (controller settings, experimental features).</summary>
    IReadOnlyList<string> Notes(WebSocketPoolSpec spec);
}

/// <summary>What a balancer kind rendered: objects to apply (in order) and its config files by name.</summary>
public sealed record BalancerOutput(
    IReadOnlyList<IKubernetesObject<V1ObjectMeta>> Objects,
    IReadOnlyDictionary<string, string> ConfigFiles);
