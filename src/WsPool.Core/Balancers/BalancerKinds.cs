using WsPool.Core.Api;

namespace WsPool.Core.Balancers;

/// <summary>The registry: which <see cref="IBalancerKind"/> serves a spec's balancer (type, and controller for an Ingress).</summary>
public static class BalancerKinds
{
    public static readonly IBalancerKind HAProxy = new HAProxyBalancer();
    public static readonly IBalancerKind Nginx = new NginxBalancer();
    public static readonly IBalancerKind Gateway = new GatewayBalancer();
    public static readonly IBalancerKind IngressNginx = new IngressNginxBalancer();
    public static readonly IBalancerKind HAProxyTechIngress = new HAProxyTechIngressBalancer();
    public static readonly IBalancerKind HAProxyIngress = new HAProxyIngressBalancer();
    public static readonly IBalancerKind AwsLoadBalancerIngress = new AwsLoadBalancerIngressBalancer();

    public static IReadOnlyList<IBalancerKind> All { get; } =
        [HAProxy, Nginx, Gateway, IngressNginx, HAProxyTechIngress, HAProxyIngress, AwsLoadBalancerIngress];

    public static IBalancerKind For(BalancerSpec balancer) => balancer.Type switch
    {
        BalancerType.HAProxy => HAProxy,
        BalancerType.Nginx => Nginx,
        BalancerType.Gateway => Gateway,
        BalancerType.Ingress => (balancer.Ingress?.Controller ?? IngressController.IngressNginx) switch
        {
            IngressController.IngressNginx => IngressNginx,
            IngressController.HAProxyTech => HAProxyTechIngress,
            IngressController.HAProxyIngress => HAProxyIngress,
            IngressController.AwsLoadBalancer => AwsLoadBalancerIngress,
            var controller => throw new ArgumentOutOfRangeException(nameof(balancer), controller, "unknown ingress controller"),
        },
        var type => throw new ArgumentOutOfRangeException(nameof(balancer), type, "unknown balancer type"),
    };

    /// <summary>The balancer's objects and config files, for a pool the validator accepted.</summary>
    public static BalancerOutput Render(WebSocketPool pool, Rendering.RenderOptions options) => For(pool.Spec.Balancer).Render(pool, options);

    /// <summary>What the pool's balancer needs the cluster to provide.</summary>
    public static IReadOnlyList<ClusterPrerequisite> PrerequisitesOf(WebSocketPoolSpec spec) => For(spec.Balancer).Prerequisites(spec);

    /// <summary>
    /// Where the autoscaler reads connections: spec.scaling.metrics.source, or the balancer kind's default. The CRD's
    /// rule on spec.scaling.metrics.port says the same in CEL (a port needs the Pods source).
    /// </summary>
    public static MetricsSource MetricsSourceOf(WebSocketPoolSpec spec) =>
        spec.Scaling?.Metrics?.Source ?? (spec.Balancer is { } balancer ? For(balancer).DefaultMetricsSource : MetricsSource.Pods);
}
