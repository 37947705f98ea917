using System.Collections.Concurrent;
using System.Globalization;
using k8s.Models;
using WsPool.Core.Api;
using WsPool.Core.Balancers;
using WsPool.Core.Scaling;
using WsPool.Core.Status;

namespace WsPool.Operator.Scaling;

/// <summary>
/// Autoscaling for the reconciler, one call per pool per poll interval: read live connections (from the managed
/// HAProxy or from each ready pod), run Core's <see cref="ScalingPolicy"/> and <see cref="RebalancePolicy"/> with the
/// state kept per pool, and return what to apply (<see cref="PoolScalingResult"/>). It performs reads only; writing
/// replicas, annotations, status and events, and sending shed requests (<see cref="ShedClient"/>, then the
/// <c>Rebalanced</c> event with what they closed) is the caller's.
/// </summary>
public sealed class PoolScaler(PodMetricsScraper podScraper, BalancerSessionsScraper balancerScraper, ScraperOptions options)
{
    private readonly ConcurrentDictionary<string, (ScalingState Scaling, RebalanceState Rebalance)> _states = new();

    /// <param name="pool">The pool (validated).</param>
    /// <param name="backendPods">The pool's backend pods (the Deployment's selector).</param>
    /// <param name="balancerPods">The managed balancer's pods; used when connections come from the balancer.</param>
    /// <param name="currentReplicas">The Deployment's spec.replicas now.</param>
    /// <param name="now">The clock.</param>
    /// <param name="rolloutInProgress">A connection-aware rollout is moving the pool's clients: the pool may grow but
    /// neither shrinks nor rebalances, which would move some of them twice.</param>
    public async Task<PoolScalingResult> EvaluateAsync(WebSocketPool pool, IReadOnlyList<V1Pod> backendPods,
        IReadOnlyList<V1Pod> balancerPods, int currentReplicas, DateTime now, bool rolloutInProgress,
        CancellationToken cancellationToken)
    {
        var spec = pool.Spec;
        var settings = ScalingSettings.From(spec, PodFacts.MeasuredStartupTime(backendPods));
        var rebalanceSettings = RebalanceSettings.From(spec);
        var pollInterval = DurationParser.Parse(spec.Scaling.PollInterval);
        var key = Key(pool);
        var (scalingState, rebalanceState) = _states.GetValueOrDefault(key, (ScalingState.Empty, RebalanceState.Empty));

        var ready = backendPods.Where(PodFacts.IsReady).OrderBy(p => p.Metadata.Name, StringComparer.Ordinal).ToList();
        var outcome = await SampleAsync(spec, ready, balancerPods, now, cancellationToken);
        var sample = outcome.Sample;

        var decision = ScalingPolicy.Decide(settings, scalingState, currentReplicas, sample, now);
        if (rolloutInProgress && decision.Direction == ScalingDirection.Down)
            decision = decision with { DesiredReplicas = currentReplicas, Reason = $"holding at {currentReplicas} during a rollout ({decision.Reason})" };
        // No shedding while the pool shrinks: the removed pods' clients are already reconnecting.
        var rebalance = decision.Direction == ScalingDirection.Down
            ? new RebalanceDecision([], "not rebalancing while scaling down", rebalanceState)
            : RebalancePolicy.Decide(rebalanceSettings, rebalanceState, sample, now, rolloutInProgress);
        _states[key] = (decision.NextState, rebalance.NextState);

        var readyByName = ready.ToDictionary(p => p.Metadata.Name);
        var adminPort = spec.Scaling.Rebalance.AdminPort;
        var shed = rebalance.Requests
            .Where(r => readyByName.ContainsKey(r.Pod))
            .Select(r => PodFacts.ResolvePort(adminPort, readyByName[r.Pod]) is { } port
                ? new ShedTarget(r.Pod, readyByName[r.Pod].Status.PodIP, port, r.Count)
                : new ShedTarget(r.Pod, readyByName[r.Pod].Status.PodIP, null, r.Count,
                    $"pod has no container port named '{adminPort.Value}' (spec.scaling.rebalance.adminPort)"))
            .ToList();

        return new PoolScalingResult(
            currentReplicas,
            decision.DesiredReplicas,
            decision,
            rebalance,
            decision.Direction == ScalingDirection.Down ? DeletionCosts(backendPods, sample) : new Dictionary<string, string>(),
            shed,
            // A failed reading knows no counts: leave the last ones in status rather than report zero.
            sample.Error is null ? Connections(sample) : null,
            Condition(decision, sample),
            Events(pool, decision, outcome),
            outcome.Failures,
            pollInterval);
    }

    /// <summary>Drops a deleted pool's state.</summary>
    public void Forget(WebSocketPool pool) => _states.TryRemove(Key(pool), out _);

    /// <summary>Drops the state of a pool that is gone from the cache (its uid is no longer known): every uid under that name.</summary>
    public void Forget(string ns, string name)
    {
        var prefix = $"{ns}/{name}/";
        foreach (var key in _states.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)).ToList())
            _states.TryRemove(key, out _);
    }

    private Task<ScrapeOutcome> SampleAsync(WebSocketPoolSpec spec, IReadOnlyList<V1Pod> ready,
        IReadOnlyList<V1Pod> balancerPods, DateTime now, CancellationToken cancellationToken)
    {
        var source = BalancerKinds.MetricsSourceOf(spec);
        var port = spec.Scaling.Metrics.Port ?? spec.Port;
        if (source == MetricsSource.Balancer)
        {
            var balancers = balancerPods.Where(PodFacts.IsReady)
                .Select(p => new ScrapeTarget(p.Metadata.Name, p.Status.PodIP, options.BalancerStatsPort)).ToList();
            var pods = ready.Select(p => new ScrapeTarget(p.Metadata.Name, p.Status.PodIP, 0)).ToList();
            return balancerScraper.ScrapeAsync(balancers, pods, now, cancellationToken);
        }
        var targets = new List<ScrapeTarget>();
        var unresolved = new List<string>();
        foreach (var pod in ready)
        {
            if (PodFacts.ResolvePort(port, pod) is { } number) targets.Add(new ScrapeTarget(pod.Metadata.Name, pod.Status.PodIP, number));
            else unresolved.Add(pod.Metadata.Name);
        }
        return ScrapeAndAddUnresolved(targets, unresolved, spec, port, now, cancellationToken);
    }

    private async Task<ScrapeOutcome> ScrapeAndAddUnresolved(List<ScrapeTarget> targets, List<string> unresolved,
        WebSocketPoolSpec spec, IntOrString port, DateTime now, CancellationToken cancellationToken)
    {
        var outcome = await podScraper.ScrapeAsync(targets, spec.Scaling.Metrics.Path, spec.Scaling.Metrics.MetricName, now, cancellationToken);
        if (unresolved.Count == 0) return outcome;
        var failures = new Dictionary<string, string>(outcome.Failures);
        foreach (var pod in unresolved) failures[pod] = $"pod has no container port named '{port.Value}' (spec.scaling.metrics.port)";
        return new ScrapeOutcome(outcome.Sample with { MissingPods = failures.Keys.Order(StringComparer.Ordinal).ToList() }, failures);
    }

    /// <summary>
    /// pod-deletion-cost = live connections, so the ReplicaSet removes the emptiest pods first. Pods that are not
    /// ready get no annotation (the ReplicaSet removes them first anyway); costs are clamped to int32.
    /// </summary>
    private static Dictionary<string, string> DeletionCosts(IReadOnlyList<V1Pod> pods, ConnectionSample sample)
    {
        var costs = new Dictionary<string, string>();
        foreach (var pod in pods)
            if (sample.Pods.TryGetValue(pod.Metadata.Name, out var connections))
                costs[pod.Metadata.Name] = Math.Min(connections, int.MaxValue).ToString(CultureInfo.InvariantCulture);
        return costs;
    }

    private static ConnectionsStatus Connections(ConnectionSample sample) => new()
    {
        Total = sample.Total,
        SampledAt = sample.At,
        Pods = sample.Pods
            .OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal)
            .Take(ConnectionsStatus.MaxPodsListed)
            .Select(p => new PodConnections { Name = p.Key, Connections = p.Value })
            .ToList(),
    };

    private static ScalingConditionValue Condition(ScalingDecision decision, ConnectionSample sample)
    {
        if (sample.Error is not null)
            return new ScalingConditionValue(false, "MetricsUnavailable", decision.Reason);
        var reason = decision.Direction switch
        {
            ScalingDirection.Up => "ScaledUp",
            ScalingDirection.Down => "ScaledDown",
            _ => sample.IsComplete ? "Steady" : "PartialMetrics",
        };
        return new ScalingConditionValue(true, reason, decision.Reason);
    }

    private static List<ScalingEvent> Events(WebSocketPool pool, ScalingDecision decision, ScrapeOutcome outcome)
    {
        var events = new List<ScalingEvent>();
        if (decision.Direction == ScalingDirection.Up) events.Add(new(EventTypes.Normal, "ScaledUp", "Scale", decision.Reason));
        if (decision.Direction == ScalingDirection.Down) events.Add(new(EventTypes.Normal, "ScaledDown", "Scale", decision.Reason));
        // Rebalanced is recorded by the caller once the shed requests have answered, with what they closed.
        // Warn when readings start failing, not on every poll while they keep failing.
        var previous = pool.Status?.Conditions?.FirstOrDefault(c => c.Type == PoolConditions.Scaling);
        if (outcome.Sample.Error is not null && previous?.Reason != "MetricsUnavailable")
            events.Add(new(EventTypes.Warning, "MetricsUnavailable", "Scrape", outcome.Sample.Error));
        return events;
    }

    private static string Key(WebSocketPool pool) =>
        $"{pool.Metadata.NamespaceProperty}/{pool.Metadata.Name}/{pool.Metadata.Uid}";
}
