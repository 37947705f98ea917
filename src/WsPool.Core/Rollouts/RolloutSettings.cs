using WsPool.Core.Api;
using WsPool.Core.Balancers;

namespace WsPool.Core.Rollouts;

/// <summary>A pool's connection-aware rollout rules in numbers.</summary>
public sealed record RolloutSettings(int MaxReconnectsPerSecond, TimeSpan RoutingSettleTime)
{
    /// <summary>
    /// The bound is spec.rollout.maxReconnectsPerSecond, or by default the pool's target capacity per minute
    /// (connections.target × replicas / 60, at least 1): a pool running at its target moves in about a minute.
    /// </summary>
    public static RolloutSettings From(WebSocketPoolSpec spec, int replicas) => new(
        spec.Rollout.MaxReconnectsPerSecond ?? DefaultBound(spec.Connections.Target, replicas),
        BalancerKinds.For(spec.Balancer).RoutingSettleTime);

    public static int DefaultBound(int targetPerPod, int replicas) =>
        (int)Math.Max(1, Math.Ceiling((long)targetPerPod * Math.Max(1, replicas) / 60.0));

    public static bool IsConnectionAware(WebSocketPoolSpec spec) => spec.Rollout.Strategy == RolloutStrategy.ConnectionAware;
}
