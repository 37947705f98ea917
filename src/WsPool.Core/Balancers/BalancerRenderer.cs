using WsPool.Core.Api;
using WsPool.Core.Rendering;

namespace WsPool.Core.Balancers;

/// <summary>The objects and config files of the pool's balancer (managed HAProxy/NGINX, Ingress or HTTPRoute).</summary>
public static class BalancerRenderer
{
    // Placeholder until the balancer work lands.
    public static BalancerOutput Render(WebSocketPool pool, RenderOptions options) =>
        new([], new Dictionary<string, string>());
}

public sealed record BalancerOutput(
    IReadOnlyList<k8s.IKubernetesObject<k8s.Models.V1ObjectMeta>> Objects,
    IReadOnlyDictionary<string, string> ConfigFiles);
