using System.Collections.Immutable;

namespace WsPool.Core.Scaling;

/// <summary>A total connection count at a moment (complete samples only), for the arrival rate.</summary>
public readonly record struct TotalAt(DateTime At, long Total);

/// <summary>
/// What the policy recommended at a moment, before stabilization: <see cref="Replicas"/> with rate-aware pre-warm,
/// <see cref="Steady"/> without it (needed + buffer). The scale-down window keeps the highest steady recommendation;
/// pre-warm pods are only kept one start-up time after the last recommendation that wanted them.
/// </summary>
public readonly record struct RecommendationAt(DateTime At, int Replicas, int Steady);

/// <summary>A change of replicas the policy decided, for the per-period rate limits.</summary>
public readonly record struct ReplicaChangeAt(DateTime At, int From, int To);

/// <summary>
/// The policy's memory between decisions, as an immutable value: each decision returns the next state. Only as much
/// history is kept as the longest window needs.
/// </summary>
public sealed record ScalingState(
    ImmutableList<TotalAt> Totals,
    ImmutableList<RecommendationAt> Recommendations,
    ImmutableList<ReplicaChangeAt> Changes)
{
    public static readonly ScalingState Empty = new([], [], []);

    internal ScalingState Forget(DateTime now, TimeSpan memory)
    {
        var horizon = now - memory;
        return new ScalingState(
            Totals.RemoveAll(t => t.At < horizon),
            Recommendations.RemoveAll(r => r.At < horizon),
            Changes.RemoveAll(c => c.At < horizon));
    }
}
