using System.Collections.Immutable;
using System.Globalization;

namespace WsPool.Core.Scaling;

/// <summary>Ask one pod to close this many connections (the backend's shed contract, close code 1012).</summary>
public sealed record ShedRequest(string Pod, int Count);

/// <summary>Connections shed at a moment, for the per-minute budget.</summary>
public readonly record struct ShedAt(DateTime At, int Count);

/// <summary>Since when each pod has been hot, and what was shed in the last minute.</summary>
public sealed record RebalanceState(ImmutableDictionary<string, DateTime> HotSince, ImmutableList<ShedAt> Shed)
{
    public static readonly RebalanceState Empty = new(ImmutableDictionary<string, DateTime>.Empty, []);
}

/// <summary>The shed requests to make now (often none), why, and the state for the next poll.</summary>
public sealed record RebalanceDecision(IReadOnlyList<ShedRequest> Requests, string Reason, RebalanceState NextState)
{
    public int TotalShed => Requests.Sum(r => r.Count);
}

/// <summary>
/// Rebalancing after a scale-out, pure. New pods get no existing connections; only shedding moves them. A pod is hot
/// when it holds more than threshold% of the pool's mean; once it has been hot for the whole window it sheds its
/// excess over max(mean, target) — never below the target — in batches of batchSize per poll, hottest first, and the
/// pool sheds at most maxShedPercentPerMinute% of its connections in any minute. Partial or failed samples shed
/// nothing: the mean they give is wrong.
/// </summary>
public static class RebalancePolicy
{
    private static readonly TimeSpan BudgetPeriod = TimeSpan.FromMinutes(1);

    public static RebalanceDecision Decide(
        RebalanceSettings settings, RebalanceState state, ConnectionSample sample, DateTime now)
    {
        var shed = state.Shed.RemoveAll(s => s.At <= now - BudgetPeriod);
        state = state with { Shed = shed };
        if (!settings.Enabled)
            return new([], "rebalancing is off", RebalanceState.Empty);
        if (!sample.IsComplete)
            return new([], "not rebalancing on a partial or failed sample", state);
        if (sample.Pods.Count < 2)
            return new([], "not rebalancing fewer than 2 pods", RebalanceState.Empty with { Shed = shed });

        var total = sample.Total;
        var mean = total / (double)sample.Pods.Count;
        var threshold = mean * settings.ThresholdPercent / 100.0;
        var floor = (long)Math.Max(Math.Ceiling(mean), settings.TargetPerPod);
        var meanText = mean.ToString("0", CultureInfo.InvariantCulture);

        var hotSince = ImmutableDictionary.CreateBuilder<string, DateTime>();
        foreach (var (pod, connections) in sample.Pods)
            if (connections > threshold)
                hotSince[pod] = state.HotSince.TryGetValue(pod, out var since) ? since : now;
        var next = new RebalanceState(hotSince.ToImmutable(), shed);

        var due = sample.Pods
            .Where(p => hotSince.ContainsKey(p.Key) && now - hotSince[p.Key] >= settings.Window && p.Value > floor)
            .OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal)
            .ToList();
        if (due.Count == 0)
            return new([], hotSince.Count == 0
                ? $"no pod above {settings.ThresholdPercent}% of the mean {meanText}"
                : $"{hotSince.Count} pod(s) above {settings.ThresholdPercent}% of the mean {meanText}, waiting out the {ScalingPolicy.Seconds(settings.Window)} window", next);

        var budget = (int)Math.Floor(total * settings.MaxShedPercentPerMinute / 100.0) - shed.Sum(s => s.Count);
        var requests = new List<ShedRequest>();
        foreach (var (pod, connections) in due)
        {
            var count = (int)Math.Min(Math.Min(connections - floor, settings.BatchSize), budget);
            if (count <= 0) break;
            requests.Add(new ShedRequest(pod, count));
            budget -= count;
        }
        if (requests.Count == 0)
            return new([], $"{due.Count} hot pod(s) but the {settings.MaxShedPercentPerMinute}%-per-minute shed budget is spent", next);

        var shedNow = requests.Sum(r => r.Count);
        next = next with { Shed = shed.Add(new ShedAt(now, shedNow)) };
        var list = string.Join(", ", requests.Select(r => $"{r.Pod} {sample.Pods[r.Pod]}→{sample.Pods[r.Pod] - r.Count}"));
        return new(requests,
            $"shedding {shedNow} connection(s) from {requests.Count} pod(s) above {settings.ThresholdPercent}% of the mean {meanText} for {ScalingPolicy.Seconds(settings.Window)} (never below {floor}): {list}",
            next);
    }
}
