using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Globalization;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using WsPool.Core.Api;
using WsPool.Core.Balancers;
using WsPool.Core.Intent;
using WsPool.Core.Rendering;
using WsPool.Core.Rollouts;
using WsPool.Core.Status;
using WsPool.Operator.Kubernetes;
using WsPool.Operator.Runtime;
using WsPool.Operator.Scaling;

namespace WsPool.Operator.Rollouts;

/// <summary>
/// The operator's part of a connection-aware rollout, around the pure <see cref="RolloutPolicy"/>. Before a changed
/// pod template is applied, the Deployment's ReplicaSets are taken over: their controller reference is moved to the
/// WebSocketPool, so the Deployment controller, which acts only on what it controls, starts the new revision at
/// full size and leaves the old pods alone (the garbage collector still removes them with the pool). Then each
/// look reads the ReplicaSets and pods, lets the policy decide, asks old pods to close connections through the
/// shed contract and deletes old ReplicaSets once empty.
/// </summary>
public sealed class PoolRollout(IKubernetes client, OwnedKinds kinds, ShedClient shedClient, BalancerSessionsScraper balancerStats,
    ScraperOptions scraperOptions, ILogger<PoolRollout> logger)
{
    /// <summary>Failed shed requests after which an old pod is treated as empty and left to its own SIGTERM drain.</summary>
    public const int MaxShedFailures = 3;

    private sealed record Memory(RolloutPacing Pacing, ImmutableDictionary<string, int> Counts, ImmutableDictionary<string, int> Failures)
    {
        public static readonly Memory Empty = new(RolloutPacing.Empty, ImmutableDictionary<string, int>.Empty, ImmutableDictionary<string, int>.Empty);
    }

    private readonly ConcurrentDictionary<ObjectKey, Memory> _memory = new();

    /// <summary>A rollout is in progress (or was just started) for the pool: the autoscaler neither shrinks nor rebalances it.</summary>
    public bool InProgress(WebSocketPool pool) =>
        pool.Status?.Rollout is not null || _memory.ContainsKey(ObjectKey.Of(pool));

    public void Forget(ObjectKey pool) => _memory.TryRemove(pool, out _);

    /// <summary>
    /// Reads the rollout's state and decides what to do now, or null when no rollout is in progress. Lists the pool's
    /// ReplicaSets and pods only while one is, so a steady pool costs no request.
    /// </summary>
    public async Task<(RolloutStep Step, IReadOnlyList<V1Pod> Pods)?> LookAsync(WebSocketPool pool, ConnectionsStatus? connections,
        DateTime now, CancellationToken cancellationToken)
    {
        if (!InProgress(pool)) return null;
        var key = ObjectKey.Of(pool);
        var ns = pool.Metadata.NamespaceProperty;
        var names = PoolNames.Of(pool);
        var memory = _memory.GetValueOrDefault(key, Memory.Empty);
        var deployment = kinds.Deployments.Store.Get(ns, names.Backend);
        var replicaSets = await ListReplicaSetsAsync(ns, names.Pool, cancellationToken).ConfigureAwait(false);
        var pods = await PoolObjects.ListPodsAsync(client, ns, names.Pool, PoolLabels.BackendComponent, cancellationToken).ConfigureAwait(false);

        var current = replicaSets
            .Where(rs => deployment is not null && ControllerUid(rs) == deployment.Metadata.Uid && (rs.Spec?.Replicas ?? 0) > 0)
            .OrderByDescending(Revision).FirstOrDefault();
        var desired = deployment?.Spec?.Replicas ?? 0;
        var newReady = current?.Status?.ReadyReplicas ?? 0;
        var newRevision = HashOf(current);
        var ready = deployment?.Status is { } s && s.ObservedGeneration >= deployment.Metadata.Generation
            && (s.UpdatedReplicas ?? 0) >= desired && newReady >= desired && (current?.Spec?.Replicas ?? 0) >= desired;

        var old = replicaSets
            .Where(rs => ControllerUid(rs) == pool.Metadata.Uid)
            .OrderBy(rs => rs.Metadata.CreationTimestamp).ThenBy(Revision)
            .Select(rs => new OldRevision(rs.Metadata.Name, HashOf(rs) ?? "",
                pods.Where(p => HashOf(p) == HashOf(rs) && HashOf(rs) is not null)
                    .Select(p => new OldPod(p.Metadata.Name, memory.Counts.TryGetValue(p.Metadata.Name, out var n) ? n : null))
                    .ToList()))
            .ToList();
        var newPods = pods.Where(p => newRevision is not null && HashOf(p) == newRevision).Select(p => p.Metadata.Name).ToHashSet();
        long? newConnections = connections?.Pods is { } perPod ? perPod.Where(p => newPods.Contains(p.Name)).Sum(p => p.Connections) : null;

        var oldPods = old.SelectMany(o => o.Pods).Select(p => p.Name).ToHashSet();
        var routed = pool.Status?.Rollout?.Phase == RolloutPolicy.Switching
            ? await OldPodsStillRoutedAsync(pool, pods.Where(p => oldPods.Contains(p.Metadata.Name)).ToList(), cancellationToken).ConfigureAwait(false)
            : null;
        var seen = new RolloutObservation(newRevision, ready, newReady, desired, old, pool.Status?.Rollout?.ServingRevision, newConnections, routed);
        var replicas = deployment?.Spec?.Replicas ?? pool.Spec.MinReplicas;
        var step = RolloutPolicy.Decide(RolloutSettings.From(pool.Spec, replicas), seen, pool.Status?.Rollout, memory.Pacing, now);
        if (step.InProgress) _memory[key] = memory with { Pacing = step.Pacing };
        else _memory.TryRemove(key, out _);
        return (step, pods);
    }

    /// <summary>
    /// How many old pods a balancer whose server states the operator reads (the managed HAProxy, on every balancer
    /// pod) may still send new connections to; null for other balancers or when a balancer pod does not answer.
    /// </summary>
    private async Task<int?> OldPodsStillRoutedAsync(WebSocketPool pool, IReadOnlyList<V1Pod> oldPods, CancellationToken cancellationToken)
    {
        // A kind that reports per-server sessions (its default metrics source is the balancer) has the stats to tell.
        if (BalancerKinds.For(pool.Spec.Balancer).DefaultMetricsSource != MetricsSource.Balancer) return null;
        var balancerPods = await PoolObjects.ListPodsAsync(client, pool.Metadata.NamespaceProperty, PoolNames.Of(pool).Pool, PoolLabels.BalancerComponent, cancellationToken)
            .ConfigureAwait(false);
        var targets = balancerPods.Where(PodFacts.IsReady)
            .Select(p => new ScrapeTarget(p.Metadata.Name, p.Status.PodIP, scraperOptions.BalancerStatsPort)).ToList();
        var routed = await balancerStats.RoutedAddressesAsync(targets, cancellationToken).ConfigureAwait(false);
        if (routed is null) return null;
        return oldPods.Count(p => System.Net.IPAddress.TryParse(p.Status?.PodIP, out var ip) && routed.Contains(ip));
    }

    /// <summary>
    /// Before the intent is applied: when it changes the backend pod template, take the Deployment's ReplicaSets that
    /// still run pods over for the pool. Returns the rollout's first step (null: nothing was taken over), for status.
    /// </summary>
    public async Task<RolloutStep?> TakeOverAsync(WebSocketPool pool, PoolIntent intent, DateTime now, CancellationToken cancellationToken)
    {
        if (!RolloutSettings.IsConnectionAware(pool.Spec)) return null;
        var ns = pool.Metadata.NamespaceProperty;
        var names = PoolNames.Of(pool);
        var live = kinds.Deployments.Store.Get(ns, names.Backend);
        var wanted = intent.Objects.OfType<V1Deployment>().FirstOrDefault(d => d.Metadata.Name == names.Backend);
        var liveRevision = Get(live?.Metadata.Annotations, PodTemplateRevision.Annotation);
        var wantedRevision = Get(wanted?.Metadata.Annotations, PodTemplateRevision.Annotation);
        // A Deployment from before the annotation existed rolls out plainly once; from then on it is known.
        if (live is null || liveRevision is null || wantedRevision is null || liveRevision == wantedRevision) return null;

        var taken = new List<string>();
        foreach (var rs in await ListReplicaSetsAsync(ns, names.Pool, cancellationToken).ConfigureAwait(false))
        {
            if (ControllerUid(rs) != live.Metadata.Uid || (rs.Spec?.Replicas ?? 0) == 0) continue;
            // A merge patch with the resourceVersion it read: if the Deployment controller changed the ReplicaSet
            // meanwhile, the API refuses (409) and the reconcile starts over from fresh reads.
            var patch = new V1Patch(new V1ReplicaSet
            {
                Metadata = new V1ObjectMeta
                {
                    ResourceVersion = rs.Metadata.ResourceVersion,
                    OwnerReferences = [PoolObjects.OwnerReference(pool)],
                },
            }, V1Patch.PatchType.MergePatch);
            await client.AppsV1.PatchNamespacedReplicaSetAsync(patch, rs.Metadata.Name, ns, cancellationToken: cancellationToken)
                .ConfigureAwait(false);
            taken.Add(rs.Metadata.Name);
        }
        if (taken.Count == 0) return null;
        _memory.TryAdd(ObjectKey.Of(pool), Memory.Empty);
        var replicas = live.Spec?.Replicas ?? pool.Spec.MinReplicas;
        return RolloutPolicy.Started(RolloutSettings.From(pool.Spec, replicas), taken, now);
    }

    /// <summary>
    /// Does what the step says: asks old pods to close connections (and how many they hold) through the shed
    /// contract, and deletes the ReplicaSets that are empty. Returns a warning for pods that do not answer.
    /// </summary>
    public async Task<IReadOnlyList<ScalingEvent>> ActAsync(WebSocketPool pool, RolloutStep step, IReadOnlyList<V1Pod> pods,
        CancellationToken cancellationToken)
    {
        var key = ObjectKey.Of(pool);
        var events = new List<ScalingEvent>();
        var ns = pool.Metadata.NamespaceProperty;
        foreach (var rs in step.RetiredReplicaSets)
        {
            try
            {
                await client.AppsV1.DeleteNamespacedReplicaSetAsync(rs, ns,
                    body: new V1DeleteOptions { PropagationPolicy = "Background" }, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (k8s.Autorest.HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
            {
                // Already gone.
            }
            events.Add(new ScalingEvent(EventTypes.Normal, "RevisionRetired", "Delete", $"old ReplicaSet {rs} deleted ({step.Message}); its pods drain whatever they still hold on SIGTERM"));
        }
        if (!step.InProgress && pool.Status?.Rollout is { } finished)
            events.Add(new ScalingEvent(EventTypes.Normal, "RolloutComplete", "Rollout",
                $"every old pod is gone; revision {finished.Revision} serves alone (started {finished.StartedAt:u})"));
        if (step.Moves.Count == 0 || !_memory.TryGetValue(key, out var memory)) return events;

        var byName = pods.Where(p => !string.IsNullOrEmpty(p.Status?.PodIP)).ToDictionary(p => p.Metadata.Name);
        var adminPort = pool.Spec.Scaling.Rebalance.AdminPort;
        var targets = step.Moves.Where(m => byName.ContainsKey(m.Pod))
            .Select(m => PodFacts.ResolvePort(adminPort, byName[m.Pod]) is { } port
                ? new ShedTarget(m.Pod, byName[m.Pod].Status.PodIP, port, m.Count)
                : new ShedTarget(m.Pod, byName[m.Pod].Status.PodIP, null, m.Count,
                    $"pod has no container port named '{adminPort.Value}' (spec.scaling.rebalance.adminPort)"))
            .ToList();
        var results = await shedClient.ShedAllAsync(targets, cancellationToken).ConfigureAwait(false);

        var counts = memory.Counts.ToBuilder();
        var failures = memory.Failures.ToBuilder();
        foreach (var result in results)
        {
            if (result.Error is null && result.Remaining is { } remaining)
            {
                counts[result.Pod] = remaining;
                failures.Remove(result.Pod);
                continue;
            }
            var failed = failures.GetValueOrDefault(result.Pod) + 1;
            failures[result.Pod] = failed;
            logger.LogWarning("Old pod {Pod} of pool {Namespace}/{Pool} did not answer the shed contract ({Failed}/{Max}): {Error}",
                result.Pod, ns, pool.Metadata.Name, failed, MaxShedFailures, result.Error ?? "no connection count in the answer");
            if (failed < MaxShedFailures) continue;
            // Treated as empty: its ReplicaSet is retired and the pod drains its clients itself on SIGTERM
            // (spec.drain), outside the pacing.
            counts[result.Pod] = 0;
            events.Add(new ScalingEvent(EventTypes.Warning, "ShedUnanswered", "Shed",
                $"old pod {result.Pod} did not answer POST /shed {MaxShedFailures} times ({result.Error}); it is removed and drains its own clients on SIGTERM, outside the {step.Status?.MaxReconnectsPerSecond}/s pacing"));
        }
        _memory[key] = memory with { Counts = counts.ToImmutable(), Failures = failures.ToImmutable() };
        return events;
    }

    private static string? Get(IDictionary<string, string>? map, string key) =>
        map is not null && map.TryGetValue(key, out var value) ? value : null;

    private static string? ControllerUid(V1ReplicaSet rs) => rs.Metadata.OwnerReferences?.FirstOrDefault(o => o.Controller == true)?.Uid;

    private static string? HashOf(V1ReplicaSet? rs) => Get(rs?.Metadata.Labels, PodTemplateRevision.PodTemplateHashLabel);

    private static string? HashOf(V1Pod pod) => Get(pod.Metadata.Labels, PodTemplateRevision.PodTemplateHashLabel);

    private static long Revision(V1ReplicaSet rs) =>
        long.TryParse(Get(rs.Metadata.Annotations, "deployment.kubernetes.io/revision"), NumberStyles.None,
            CultureInfo.InvariantCulture, out var revision) ? revision : 0;

    private async Task<IReadOnlyList<V1ReplicaSet>> ListReplicaSetsAsync(string ns, string pool, CancellationToken cancellationToken) =>
        (await client.AppsV1.ListNamespacedReplicaSetAsync(ns, labelSelector: PoolLabels.SelectorText(pool, PoolLabels.BackendComponent), cancellationToken: cancellationToken)
            .ConfigureAwait(false)).Items?.ToList() ?? [];
}
