namespace WsPool.Bench.Scaling;

/// <summary>
/// The Kubernetes HPA v2 (autoscaling/v2) with its default behaviour, on the same connections metric:
/// <list type="bullet">
/// <item>syncs every 15 s (--horizontal-pod-autoscaler-sync-period);</item>
/// <item>sees the metric as a Prometheus adapter serves it: a sample <c>metricDelay</c> old (default 15 s, one
/// scrape interval);</item>
/// <item>Pods metric (averageValue = target per pod): ratio = average / target over pods with metrics; within the
/// 0.1 tolerance nothing changes; pods without a metric yet count as 0 when scaling up and as the target when scaling
/// down, and a change of direction or a ratio back within tolerance cancels the change;</item>
/// <item>External metric (what KEDA serves): ratio = value / (target × current replicas), desired = ceil(value /
/// target);</item>
/// <item>stabilization: up 0 s, down 300 s (highest recommendation in the window); rate: up max(4 pods, 100%) per
/// 15 s, down 100% per 15 s;</item>
/// <item>the ReplicaSet removes the most recently started pods first (no deletion costs).</item>
/// </list>
/// With <c>metricRefreshSeconds</c> set (KEDA, 30 s polling) the value the HPA reads only changes that often.
/// </summary>
public sealed class HpaModel(string name, PoolModel pool, int metricRefreshSeconds = 0, bool externalMetric = false,
    int syncSeconds = 15, int metricDelaySeconds = 15) : IScalingModel
{
    private const double Tolerance = 0.1;
    private const int DownWindowSeconds = 300;
    private readonly Dictionary<int, (long Total, int Ready)> _history = new();
    private readonly List<(int Time, int Replicas)> _recommendations = [];
    private readonly List<(int Time, int From, int To)> _events = [];
    private (long Total, int Ready)? _served;
    private int? _desired;

    public string Name => name;
    public RemovalOrder Removal => RemovalOrder.NewestFirst;

    public int Decide(Observation o)
    {
        var t = o.Time;
        _history[t] = (o.Total, o.ReadyPodConnections.Count);
        _history.Remove(t - metricDelaySeconds - 1);
        if (metricRefreshSeconds == 0 || WsPoolModel.Mod(t, metricRefreshSeconds) == 0)
            if (_history.TryGetValue(t - metricDelaySeconds, out var seen)) _served = seen;

        var current = o.Replicas;
        if (_desired is not null && WsPoolModel.Mod(t, syncSeconds) != 0) return _desired.Value;
        if (_recommendations.Count == 0) _recommendations.Add((t - 1, current));
        if (_served is not { } metric) return (_desired = current).Value;

        var recommendation = externalMetric ? External(metric.Total, current) : Pods(metric, current);
        if (recommendation is null) return (_desired = current).Value;

        _recommendations.Add((t, recommendation.Value));
        _recommendations.RemoveAll(r => r.Time <= t - DownWindowSeconds);
        var down = _recommendations.Max(r => r.Replicas);
        var stabilized = recommendation.Value > current ? recommendation.Value : Math.Min(current, down);

        var desired = stabilized;
        _events.RemoveAll(e => e.Time <= t - syncSeconds - 1);
        if (stabilized > current)
        {
            var periodStart = current - _events.Where(e => e.Time > t - 15 && e.To > e.From).Sum(e => e.To - e.From);
            var limit = Math.Max(periodStart + 4, 2 * periodStart);
            desired = Math.Min(stabilized, Math.Max(limit, current));
        }
        else if (stabilized < current)
        {
            // 100% per 15 s: the limit is 0 pods, so min/max alone bound it.
        }
        desired = Math.Clamp(desired, pool.MinReplicas, pool.MaxReplicas);
        if (desired != current) _events.Add((t, current, desired));
        return (_desired = desired).Value;
    }

    private int? Pods((long Total, int Ready) metric, int current)
    {
        if (metric.Ready == 0) return null; // "did not receive metrics for any ready pods"
        var ratio = metric.Total / (double)metric.Ready / pool.Target;
        var missing = Math.Max(0, current - metric.Ready);
        if (missing == 0)
            return Math.Abs(ratio - 1) <= Tolerance ? current : (int)Math.Ceiling(ratio * metric.Ready);
        var adjustedTotal = ratio < 1 ? metric.Total + (long)missing * pool.Target : metric.Total;
        var all = metric.Ready + missing;
        var newRatio = adjustedTotal / (double)all / pool.Target;
        if (Math.Abs(newRatio - 1) <= Tolerance || (newRatio > 1) != (ratio > 1)) return current;
        return (int)Math.Ceiling(newRatio * all);
    }

    private int External(long value, int current)
    {
        var ratio = value / ((double)pool.Target * Math.Max(1, current));
        return Math.Abs(ratio - 1) <= Tolerance ? current : (int)Math.Ceiling(value / (double)pool.Target);
    }
}
