using WsPool.Core.Api;
using WsPool.Core.Balancers;

namespace WsPool.Core.Rendering;

/// <summary>The pure function from a (valid) pool to every object the operator applies for it.</summary>
public static class PoolRenderer
{
    // Placeholder until the rendering work lands: only the balancer part is composed.
    public static RenderedPool Render(WebSocketPool pool, RenderOptions options)
    {
        var balancer = BalancerRenderer.Render(pool, options);
        return new RenderedPool(pool, balancer.Objects, balancer.ConfigFiles);
    }
}
