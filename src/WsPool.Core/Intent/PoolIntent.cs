using k8s;
using k8s.Models;
using WsPool.Core.Api;
using WsPool.Core.Balancers;
using WsPool.Core.Rendering;

namespace WsPool.Core.Intent;

/// <summary>
/// The desired state of one pool: every object to apply, in apply order, and the balancer's config files. A pure
/// function of the (valid) pool and what the caller observed or generated (<see cref="RenderOptions"/>): no clock, no
/// randomness, no I/O, and the pool is never modified. Each concern has its own renderer; this only composes them.
/// `wspool render` and the operator compute it the same way, once per reconcile.
/// </summary>
public sealed record PoolIntent(
    WebSocketPool Pool,
    IReadOnlyList<IKubernetesObject<V1ObjectMeta>> Objects,
    IReadOnlyDictionary<string, string> ConfigFiles)
{
    /// <summary>
    /// The random values the intent will carry (Redis password, dynamic-cookie key). The operator reads each from its
    /// Secret, or generates it when the Secret has none, and passes them in <see cref="RenderOptions.GeneratedValues"/>.
    /// </summary>
    public static IReadOnlyList<GeneratedValue> GeneratedValuesOf(WebSocketPool pool) =>
        [.. BrokerRenderer.GeneratedValues(pool), .. BalancerKinds.For(pool.Spec.Balancer).GeneratedValues(pool)];

    public static PoolIntent For(WebSocketPool pool, RenderOptions options)
    {
        ArgumentNullException.ThrowIfNull(pool);
        options ??= new RenderOptions();

        var balancerKind = BalancerKinds.For(pool.Spec.Balancer);
        var broker = BrokerRenderer.Render(pool, options);
        var balancer = balancerKind.Render(pool, options);

        // Apply order: what pods reference (Secrets) first, then the Services whose DNS names they resolve, then
        // the workloads (the broker before the backends that connect to it), the budget, and last the balancer,
        // which routes to everything above.
        var objects = new List<IKubernetesObject<V1ObjectMeta>?>
        {
            broker.Secret,
            BackendServicesRenderer.RenderClusterIp(pool, balancerKind.BackendServiceAnnotations(pool), options.ServingRevision),
            BackendServicesRenderer.RenderHeadless(pool, options.ServingRevision),
            broker.Service,
            broker.Deployment,
            BackendDeploymentRenderer.Render(pool, broker.BackendPodAnnotations, options.BackendReplicas),
            DisruptionBudgetRenderer.Render(pool),
        };
        objects.AddRange(balancer.Objects);

        return new PoolIntent(pool, objects.OfType<IKubernetesObject<V1ObjectMeta>>().ToList(), balancer.ConfigFiles);
    }
}
