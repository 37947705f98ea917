namespace WsPool.Local.View;

/// <summary>
/// Everything the live view of <c>wspool local up</c> shows at one moment; the renderer (<see cref="LocalView"/>) is a
/// pure function of it. <see cref="Time"/> is when it was taken, so ages ("12s ago") render the same every time.
/// </summary>
public sealed record LocalSnapshot
{
    public required DateTimeOffset Time { get; init; }
    public required PoolSnapshot Pool { get; init; }
    public IReadOnlyList<PodSnapshot> Pods { get; init; } = [];

    /// <summary>The autoscaler's decisions, in any order (the view shows the latest few, newest first).</summary>
    public IReadOnlyList<ScalingDecision> Decisions { get; init; } = [];

    /// <summary>
    /// How many times the balancer reloaded its configuration since local mode started. HAProxy finds pods through DNS,
    /// so scaling should leave this at 0; anything else is worth the user's attention.
    /// </summary>
    public int BalancerReloads { get; init; }

    /// <summary>Connections on every pod, draining ones included.</summary>
    public long TotalConnections => Pods.Sum(p => p.Connections);

    /// <summary>Pods that take new connections (ready, not terminating).</summary>
    public int ServingPods => Pods.Count(p => p.IsServing);

    public int DrainingPods => Pods.Count(p => p.IsDraining);

    /// <summary>Connections still open on terminating pods, waiting to close.</summary>
    public long DrainingConnections => Pods.Where(p => p.IsTerminating).Sum(p => p.Connections);

    /// <summary>
    /// Warm capacity: how many more connections the serving pods take before they reach their target, i.e. serving
    /// pods × <c>connections.target</c> − their connections, never below 0. It is what absorbs a surge while new pods
    /// start (the autoscaler's buffer and pre-warm exist to keep it above the arrival rate × start-up time). Draining
    /// pods take no new connections, so they neither add capacity nor use it.
    /// </summary>
    public long WarmCapacity =>
        Math.Max(0, (long)ServingPods * Pool.TargetPerPod - Pods.Where(p => p.IsServing).Sum(p => p.Connections));
}
