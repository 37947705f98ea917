using k8s;
using k8s.Models;
using WsPool.Core.Api;
using WsPool.Core.Balancers;

namespace WsPool.Core.Rendering;

/// <summary>
/// The pure function from a (valid) pool to every object the operator applies for it. Each concern has its own
/// renderer; this class only composes them and fixes the apply order. Same pool and options, same objects: no
/// clock, no randomness, no I/O, and the pool is never modified.
/// </summary>
public static class PoolRenderer
{
    public static RenderedPool Render(WebSocketPool pool, RenderOptions options)
    {
        ArgumentNullException.ThrowIfNull(pool);
        options ??= new RenderOptions();

        var broker = BrokerRenderer.Render(pool, options);
        var balancer = BalancerRenderer.Render(pool, options);

        // Apply order: what pods reference (Secrets) first, then the Services whose DNS names they resolve, then
        // the workloads (the broker before the backends that connect to it), the budget, and last the balancer,
        // which routes to everything above.
        var objects = new List<IKubernetesObject<V1ObjectMeta>?>
        {
            broker.Secret,
            BackendServicesRenderer.RenderClusterIp(pool),
            BackendServicesRenderer.RenderHeadless(pool),
            broker.Service,
            broker.Deployment,
            BackendDeploymentRenderer.Render(pool, broker.BackendPodAnnotations, options.BackendReplicas),
            DisruptionBudgetRenderer.Render(pool),
        };
        objects.AddRange(balancer.Objects);

        return new RenderedPool(pool, objects.OfType<IKubernetesObject<V1ObjectMeta>>().ToList(), balancer.ConfigFiles);
    }
}
