using WsPool.Core.Api;

namespace WsPool.Core.Scaling;

/// <summary>The rebalancing rules of a pool in numbers (see <see cref="RebalanceSpec"/>).</summary>
public sealed record RebalanceSettings(
    bool Enabled,
    int MaxToMinPercent,
    TimeSpan Window,
    int MaxShedPercentPerMinute,
    int BatchSize)
{
    public static RebalanceSettings From(WebSocketPoolSpec spec) => new(
        spec.Scaling.Rebalance.Enabled,
        spec.Scaling.Rebalance.MaxToMinPercent,
        ScalingSettings.Duration(spec.Scaling.Rebalance.Window, "spec.scaling.rebalance.window"),
        spec.Scaling.Rebalance.MaxShedPercentPerMinute,
        spec.Scaling.Rebalance.BatchSize);
}
