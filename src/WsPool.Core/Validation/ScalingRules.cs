using WsPool.Core.Api;

namespace WsPool.Core.Validation;

/// <summary>Where connection counts can come from, and step limits that would freeze the pool.</summary>
internal static class ScalingRules
{
    /// <summary>The metrics source in force: the one set, or Balancer for a managed HAProxy and Pods otherwise.</summary>
    public static MetricsSource EffectiveSource(WebSocketPoolSpec spec) =>
        spec.Scaling?.Metrics?.Source
        ?? (spec.Balancer?.Type == BalancerType.HAProxy ? MetricsSource.Balancer : MetricsSource.Pods);

    public static void Check(WebSocketPool pool, List<ValidationError> errors)
    {
        var spec = pool.Spec;
        var scaling = spec?.Scaling;
        if (spec is null || scaling is null) return;

        var metrics = scaling.Metrics;
        if (metrics?.Source == MetricsSource.Balancer && spec.Balancer?.Type != BalancerType.HAProxy)
            errors.Add(new("spec.scaling.metrics.source",
                $"Balancer reads the managed HAProxy's per-server sessions and needs spec.balancer.type HAProxy (it is {spec.Balancer?.Type}); use Pods"));
        if (metrics?.Port is not null && EffectiveSource(spec) != MetricsSource.Pods)
            errors.Add(new("spec.scaling.metrics.port", "only applies when the metrics source is Pods"));

        // Rebalancing runs in the autoscaler's poll: without it nothing would ever read the counts or shed.
        if (scaling.Rebalance?.Enabled == true && !scaling.Enabled)
            errors.Add(new("spec.scaling.rebalance.enabled",
                "needs spec.scaling.enabled: rebalancing runs in the autoscaler's poll, which reads the connection counts"));

        if (scaling.Enabled && scaling.ScaleUp is { MaxPods: 0, MaxPercent: 0 })
            errors.Add(new("spec.scaling.scaleUp", "maxPods and maxPercent are both 0, so the pool could never grow"));
    }
}
