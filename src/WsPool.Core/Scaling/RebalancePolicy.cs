using System.Collections.Immutable;

namespace WsPool.Core.Scaling;

/// <summary>Ask one pod to close this many connections (the backend's shed contract, close code 1012).</summary>
public sealed record ShedRequest(string Pod, int Count);

/// <summary>Connections shed at a moment, for the per-minute budget.</summary>
public readonly record struct ShedAt(DateTime At, int Count);

/// <summary>The last shed: when, how many, and the pool's total just before it (what the total returns to once the shed clients are back).</summary>
public readonly record struct ShedRound(DateTime At, long TotalBefore, int Count);

/// <summary>Since when the pool has been above its max/min bound, the last shed still settling, and what was shed in the last minute.</summary>
public sealed record RebalanceState(DateTime? AboveBoundSince, ShedRound? LastRound, ImmutableList<ShedAt> Shed)
{
    public static readonly RebalanceState Empty = new(null, null, []);
}

/// <summary>The shed requests to make now (often none), why, and the state for the next poll.</summary>
public sealed record RebalanceDecision(IReadOnlyList<ShedRequest> Requests, string Reason, RebalanceState NextState)
{
    public int TotalShed => Requests.Sum(r => r.Count);
}

/// <summary>
/// Rebalancing after a scale-out, pure. New pods get no existing connections; only shedding moves them. When the
/// pool's max/min per pod has been above maxToMinPercent for the whole window, the hottest pods shed the fewest
/// connections that bring it within the bound (<see cref="EvennessPlan"/>: each shed client reconnects onto the
/// coolest pod through the balancer's leastconn), at most batchSize per pod per poll and maxShedPercentPerMinute% of
/// the pool per minute, then it stops. After a shed it sheds nothing more until the shed clients are back (the pool's
/// total has returned to what it was before the shed) or a window has passed, so a sample taken while they are still
/// reconnecting never makes it shed twice for the same imbalance. Never during a rollout (its clients are moving
/// already); partial or failed samples shed nothing (their counts are wrong); a pool of fewer than 2 pods has nothing
/// to even out.
/// </summary>
public static class RebalancePolicy
{
    private static readonly TimeSpan BudgetPeriod = TimeSpan.FromMinutes(1);

    /// <param name="settings">The pool's rebalancing rules.</param>
    /// <param name="state">What the previous poll returned in <see cref="RebalanceDecision.NextState"/>.</param>
    /// <param name="sample">The pool's live connections now.</param>
    /// <param name="now">The clock.</param>
    /// <param name="rolloutInProgress">True while the pool's pods are being replaced: nothing is shed and the window restarts.</param>
    public static RebalanceDecision Decide(
        RebalanceSettings settings, RebalanceState state, ConnectionSample sample, DateTime now, bool rolloutInProgress)
    {
        var shed = state.Shed.RemoveAll(s => s.At <= now - BudgetPeriod);
        var idle = RebalanceState.Empty with { Shed = shed };
        if (!settings.Enabled)
            return new([], "rebalancing is off", RebalanceState.Empty);
        if (rolloutInProgress)
            return new([], "not rebalancing during a rollout", idle);
        if (!sample.IsComplete)
            return new([], "not rebalancing on a partial or failed sample", state with { Shed = shed });
        if (sample.Pods.Count < 2)
            return new([], "not rebalancing fewer than 2 pods", idle);

        var bound = settings.MaxToMinPercent;
        var max = sample.Pods.Values.Max();
        var min = sample.Pods.Values.Min();
        if (EvennessPlan.IsWithin(max, min, bound))
            return new([], $"max/min {max}/{min} within {bound}%", idle);

        var aboveSince = state.AboveBoundSince ?? now;
        var next = new RebalanceState(aboveSince, state.LastRound, shed);
        var window = ScalingPolicy.Seconds(settings.Window);
        if (now - aboveSince < settings.Window)
            return new([], $"max/min {max}/{min} above {bound}%, waiting out the {window} window", next);

        if (state.LastRound is { } last && sample.Total < last.TotalBefore && now - last.At < settings.Window)
            return new([], $"waiting for the {last.Count} client(s) shed last to reconnect: {sample.Total} of the {last.TotalBefore} connections before it are back (at most {window})", next);
        next = next with { LastRound = null };

        var plan = EvennessPlan.For(sample.Pods, bound);
        var budget = (int)Math.Floor(sample.Total * settings.MaxShedPercentPerMinute / 100.0) - shed.Sum(s => s.Count);
        var requests = new List<ShedRequest>();
        foreach (var (pod, planned) in plan.ShedByPod
                     .OrderByDescending(p => sample.Pods[p.Key]).ThenBy(p => p.Key, StringComparer.Ordinal))
        {
            var count = (int)Math.Min(Math.Min(planned, settings.BatchSize), budget);
            if (count <= 0) break;
            requests.Add(new ShedRequest(pod, count));
            budget -= count;
        }
        var goal = $"max/min {max}/{min} above {bound}% for {window}; {plan.Moves} move(s) bring it to {plan.Max}/{plan.Min}";
        if (requests.Count == 0)
            return new([], $"{goal}, but the {settings.MaxShedPercentPerMinute}%-per-minute shed budget is spent", next);

        var shedNow = requests.Sum(r => r.Count);
        next = next with { LastRound = new ShedRound(now, sample.Total, shedNow), Shed = shed.Add(new ShedAt(now, shedNow)) };
        var list = string.Join(", ", requests.Select(r => $"{r.Pod} {sample.Pods[r.Pod]}→{sample.Pods[r.Pod] - r.Count}"));
        return new(requests, $"{goal}; shedding {shedNow}: {list}", next);
    }
}
