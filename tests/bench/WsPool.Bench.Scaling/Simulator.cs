namespace WsPool.Bench.Scaling;

/// <summary>The figures of one trace under one policy, plus the per-second series the chart draws.</summary>
public sealed record SimResult(
    string Trace,
    string Policy,
    long Refused,
    long PodSeconds,
    int? SecondsToCapacity,
    int ScaleEvents,
    long[] Demand,
    int[] ReadyPods);

/// <summary>
/// A deterministic, one-second-step simulation of a WebSocket pool under a trace and a scaling policy.
/// <list type="bullet">
/// <item>Clients that want a connection try; the balancer gives each to the least-loaded ready pod (leastconn) up to
/// the per-pod limit; beyond that it is refused and the client retries after a fixed backoff.</item>
/// <item>A new pod is ready <see cref="PoolModel.StartupSeconds"/> after it is created; pod-seconds count every pod
/// from creation until it is gone, including start-up and drain.</item>
/// <item>A removed ready pod stops taking connections and closes its own evenly over the drain window; those clients
/// reconnect (jittered) and need room elsewhere. Pods not yet ready are removed first, then the policy's order.</item>
/// <item>When demand falls, clients waiting to retry give up first, then connections close across pods in
/// proportion.</item>
/// <item>Churn closes a fraction of connections every second, which reconnect the next second; a crash kills the
/// busiest pod, its clients reconnect jittered over a few seconds, and the Deployment replaces the pod.</item>
/// <item>Every policy first runs a warm-up of the trace's opening demand, so each starts from its own steady
/// state; figures count from t = 0.</item>
/// </list>
/// </summary>
public sealed class Simulator(PoolModel pool, Trace trace, IScalingModel model, int warmupSeconds = 900)
{
    private readonly List<SimPod> _pods = [];
    private readonly SortedDictionary<int, long> _retries = new();
    private int _nextPodId;

    public SimResult Run()
    {
        long refused = 0, podSeconds = 0;
        var scaleEvents = 0;
        var demandSeries = new long[trace.Seconds];
        var readySeries = new int[trace.Seconds];
        var initial = pool.MinReplicas;
        for (var i = 0; i < initial; i++) _pods.Add(new SimPod(_nextPodId++, -warmupSeconds, -warmupSeconds));
        var crashes = new HashSet<int>(trace.PodCrashes ?? []);

        for (var t = -warmupSeconds; t < trace.Seconds; t++)
        {
            FinishDrains(t);
            if (trace.ChurnPerSecond > 0) Churn(t);
            if (crashes.Contains(t)) CrashBusiestPod(t);

            var demand = trace.Demand(Math.Max(0, t));
            var newAttempts = FollowDemand(demand);
            var attempts = newAttempts + TakeRetries(t);
            var accepted = Assign(attempts, t);
            var rejected = attempts - accepted;
            if (rejected > 0) Retry(t + pool.RetryBackoffSeconds, rejected);

            var replicas = _pods.Count(p => p.DrainEndsAt is null);
            var ready = _pods.Where(p => p.IsReady(t)).ToList();
            var observation = new Observation(t, replicas, ready.ToDictionary(p => p.Name, p => p.Connections));
            var desired = Math.Clamp(model.Decide(observation), pool.MinReplicas, pool.MaxReplicas);
            if (desired != replicas)
            {
                Resize(replicas, desired, t);
                if (t >= 0) scaleEvents++;
            }

            if (t < 0) continue;
            refused += rejected;
            podSeconds += _pods.Count;
            demandSeries[t] = demand;
            readySeries[t] = ready.Count;
        }

        return new SimResult(trace.Name, model.Name, refused, podSeconds,
            SecondsToCapacity(demandSeries, readySeries), scaleEvents, demandSeries, readySeries);
    }

    /// <summary>
    /// Seconds from the surge's start until ready capacity at the target (ready pods × target) covers demand for
    /// good within the surge window; 0 when it never fell short, null for a trace without a surge.
    /// </summary>
    private int? SecondsToCapacity(long[] demand, int[] ready)
    {
        if (trace.SurgeStart is not { } start || trace.SurgeEnd is not { } end) return null;
        var lastShort = -1;
        for (var t = start; t < Math.Min(end, demand.Length); t++)
            if ((long)ready[t] * pool.Target < demand[t]) lastShort = t;
        return lastShort < 0 ? 0 : lastShort + 1 - start;
    }

    private long Connected => _pods.Sum(p => p.Connections);
    private long Waiting => _retries.Values.Sum();

    /// <summary>Brings wanting clients (connected + waiting) to the demand; returns how many new clients try now.</summary>
    private long FollowDemand(long demand)
    {
        var delta = demand - Connected - Waiting;
        if (delta >= 0) return delta;
        var drop = -delta;
        // Waiting clients give up first, latest scheduled first.
        foreach (var at in _retries.Keys.Reverse().ToList())
        {
            var gone = Math.Min(drop, _retries[at]);
            _retries[at] -= gone;
            drop -= gone;
            if (_retries[at] == 0) _retries.Remove(at);
            if (drop == 0) return 0;
        }
        CloseProportionally(_pods.Where(p => p.Connections > 0).ToList(), drop);
        return 0;
    }

    private static long CloseProportionally(List<SimPod> pods, long count)
    {
        var total = pods.Sum(p => p.Connections);
        count = Math.Min(count, total);
        if (count == 0) return 0;
        long closed = 0;
        foreach (var pod in pods)
        {
            var share = pod.Connections * count / total;
            pod.Connections -= share;
            closed += share;
        }
        foreach (var pod in pods.OrderByDescending(p => p.Connections).ThenBy(p => p.Id))
        {
            if (closed == count) break;
            if (pod.Connections == 0) continue;
            pod.Connections--;
            closed++;
        }
        return closed;
    }

    private long TakeRetries(int t)
    {
        if (!_retries.Remove(t, out var due)) return 0;
        return due;
    }

    private void Retry(int at, long count)
    {
        if (count <= 0) return;
        _retries[at] = _retries.GetValueOrDefault(at) + count;
    }

    /// <summary>Reconnects spread evenly over the jitter window starting next second.</summary>
    private void Reconnect(int t, long count)
    {
        var spread = pool.ReconnectJitterSeconds;
        for (var i = 0; i < spread; i++)
            Retry(t + 1 + i, count / spread + (i < count % spread ? 1 : 0));
    }

    /// <summary>leastconn up to the limit: water-fills the ready pods from the emptiest; returns how many got in.</summary>
    private long Assign(long attempts, int t)
    {
        if (attempts <= 0) return 0;
        var open = _pods.Where(p => p.IsReady(t) && p.Connections < pool.Limit).OrderBy(p => p.Connections).ThenBy(p => p.Id).ToList();
        long assigned = 0;
        while (attempts > 0 && open.Count > 0)
        {
            // Raise the emptiest group to the next pod's level (or the limit), or share what is left among it.
            var level = open[0].Connections;
            var group = open.TakeWhile(p => p.Connections == level).Count();
            var next = group < open.Count ? Math.Min(open[group].Connections, pool.Limit) : pool.Limit;
            var room = (next - level) * group;
            if (room >= attempts)
            {
                var each = attempts / group;
                var extra = attempts % group;
                for (var i = 0; i < group; i++) open[i].Connections += each + (i < extra ? 1 : 0);
                assigned += attempts;
                attempts = 0;
            }
            else
            {
                for (var i = 0; i < group; i++) open[i].Connections = next;
                assigned += room;
                attempts -= room;
            }
            open = open.Where(p => p.Connections < pool.Limit).OrderBy(p => p.Connections).ThenBy(p => p.Id).ToList();
        }
        return assigned;
    }

    private void Resize(int replicas, int desired, int t)
    {
        for (var i = replicas; i < desired; i++)
            _pods.Add(new SimPod(_nextPodId++, t, t + pool.StartupSeconds));
        if (desired >= replicas) return;

        var remove = replicas - desired;
        var candidates = _pods.Where(p => p.DrainEndsAt is null).ToList();
        // The ReplicaSet removes pods that are not ready first, with or without deletion costs.
        var starting = candidates.Where(p => !p.IsReady(t)).OrderByDescending(p => p.CreatedAt).ThenByDescending(p => p.Id).ToList();
        foreach (var pod in starting.Take(remove)) _pods.Remove(pod);
        remove -= Math.Min(remove, starting.Count);

        var readyPods = candidates.Where(p => p.IsReady(t));
        var order = model.Removal == RemovalOrder.EmptiestFirst
            ? readyPods.OrderBy(p => p.Connections).ThenByDescending(p => p.Id)
            : readyPods.OrderByDescending(p => p.ReadyAt).ThenByDescending(p => p.Id);
        foreach (var pod in order.Take(remove).ToList())
            pod.DrainEndsAt = t + pool.DrainSeconds;
    }

    /// <summary>Draining pods close their connections evenly over what is left of the window, then go.</summary>
    private void FinishDrains(int t)
    {
        foreach (var pod in _pods.Where(p => p.DrainEndsAt is not null).ToList())
        {
            var left = Math.Max(1, pod.DrainEndsAt!.Value - t);
            var closing = (pod.Connections + left - 1) / left;
            pod.Connections -= closing;
            Retry(t + 1, closing);
            if (t >= pod.DrainEndsAt) _pods.Remove(pod);
        }
    }

    private void Churn(int t)
    {
        var connected = _pods.Where(p => p.Connections > 0).ToList();
        var closing = (long)Math.Round(connected.Sum(p => p.Connections) * trace.ChurnPerSecond);
        Retry(t + 1, CloseProportionally(connected, closing));
    }

    private void CrashBusiestPod(int t)
    {
        var victim = _pods.Where(p => p.IsReady(t)).OrderByDescending(p => p.Connections).ThenBy(p => p.Id).FirstOrDefault();
        if (victim is null) return;
        _pods.Remove(victim);
        Reconnect(t, victim.Connections);
        // The Deployment notices the missing replica and creates a replacement at once.
        _pods.Add(new SimPod(_nextPodId++, t, t + pool.StartupSeconds));
    }
}
