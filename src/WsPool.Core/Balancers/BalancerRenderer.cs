using WsPool.Core.Api;
using WsPool.Core.Rendering;

namespace WsPool.Core.Balancers;

/// <summary>The objects and config files of the pool's balancer (managed HAProxy/NGINX, Ingress or HTTPRoute).</summary>
public static class BalancerRenderer
{
    /// <summary>Renders a pool that <see cref="Validation.PoolValidator"/> accepted.</summary>
    public static BalancerOutput Render(WebSocketPool pool, RenderOptions options) => pool.Spec.Balancer.Type switch
    {
        BalancerType.HAProxy => HAProxyBalancer.Render(pool, options),
        BalancerType.Nginx => NginxBalancer.Render(pool, options),
        BalancerType.Ingress => IngressBalancer.Render(pool),
        BalancerType.Gateway => GatewayBalancer.Render(pool),
        _ => throw new ArgumentOutOfRangeException(nameof(pool), pool.Spec.Balancer.Type, "unknown balancer type"),
    };
}

public sealed record BalancerOutput(
    IReadOnlyList<k8s.IKubernetesObject<k8s.Models.V1ObjectMeta>> Objects,
    IReadOnlyDictionary<string, string> ConfigFiles);
