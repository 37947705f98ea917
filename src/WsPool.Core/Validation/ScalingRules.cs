using WsPool.Core.Api;

namespace WsPool.Core.Validation;

/// <summary>
/// Where connection counts come from. The rules on the scaling settings are [CelRule]s on the API types (in the CRD).
/// </summary>
internal static class ScalingRules
{
    /// <summary>The metrics source in force: the one set, or Balancer for a managed HAProxy and Pods otherwise.</summary>
    public static MetricsSource EffectiveSource(WebSocketPoolSpec spec) =>
        spec.Scaling?.Metrics?.Source
        ?? (spec.Balancer?.Type == BalancerType.HAProxy ? MetricsSource.Balancer : MetricsSource.Pods);
}
