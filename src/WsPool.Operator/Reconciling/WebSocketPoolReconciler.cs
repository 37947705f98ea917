using k8s;
using WsPool.Core.Balancers;
using WsPool.Core.Intent;
using WsPool.Core.Rendering;
using WsPool.Core.Status;
using WsPool.Core.Validation;
using WsPool.Operator.Kubernetes;
using WsPool.Operator.Rollouts;
using WsPool.Operator.Runtime;
using WsPool.Operator.Scaling;

namespace WsPool.Operator.Reconciling;

/// <summary>
/// Brings the cluster in line with one WebSocketPool: read → validate → intent → apply → observe → status, each step
/// a collaborator of its own. Level-triggered and idempotent: everything is read from the informer caches, and with
/// nothing changed a reconcile sends no request at all. <paramref name="clusterFacts"/> holds what the operator is told
/// about its cluster rather than observes per pool (the DNS server a managed HAProxy resolves pods with).
/// </summary>
public sealed class WebSocketPoolReconciler(
    PoolKind pools,
    OwnedKinds kinds,
    ClusterPrerequisiteChecker prerequisiteChecker,
    PrerequisiteRetries prerequisiteRetries,
    PoolAutoscaling autoscaling,
    PoolRollout rollout,
    PoolEndpointSlices endpointSlices,
    GeneratedSecrets secrets,
    PoolApplier applier,
    PoolReporter reporter,
    EventRecorder events,
    IPoolMetrics poolMetrics,
    RenderOptions clusterFacts) : IReconciler
{
    public async Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        var pool = pools.Store.Get(key);
        // Gone, or going: owner references let the garbage collector remove what the pool owned.
        if (pool is null || pool.Metadata.DeletionTimestamp is not null)
        {
            autoscaling.Forget(key);
            rollout.Forget(key);
            poolMetrics.Forget(key.Namespace, key.Name);
            prerequisiteRetries.Reset(key);
            return ReconcileResult.Done;
        }

        var errors = PoolValidator.Validate(pool);
        if (errors.Count > 0)
        {
            await reporter.InvalidAsync(pool, errors, cancellationToken).ConfigureAwait(false);
            return ReconcileResult.Done;
        }

        var prerequisites = BalancerKinds.PrerequisitesOf(pool.Spec);
        IReadOnlyList<ClusterPrerequisite> missing;
        PoolScalingResult? scaling;
        (Core.Rollouts.RolloutStep Step, IReadOnlyList<k8s.Models.V1Pod> Pods)? rolling;
        PoolIntent intent;
        IReadOnlyList<string> changes;
        Core.Rollouts.RolloutStep? started;
        try
        {
            // What the balancer kind needs from the cluster (a CRD, an IngressClass): when it is missing, say so by
            // name instead of failing on an opaque 404, apply everything the cluster can take, and look again later.
            missing = await prerequisiteChecker.MissingAsync(prerequisites, cancellationToken).ConfigureAwait(false);
            scaling = await autoscaling.EvaluateAsync(pool, rollout.InProgress(pool), cancellationToken).ConfigureAwait(false);
            rolling = await rollout.LookAsync(pool, scaling?.Connections, reporter.Now, cancellationToken).ConfigureAwait(false);
            // Observed facts go into the intent, so server-side apply writes them and the intent hash (drift
            // detection) covers them: a managed NGINX's upstream servers, the autoscaler's replicas, generated values.
            var generated = await secrets.ReadOrGenerateAsync(pool, PoolIntent.GeneratedValuesOf(pool), cancellationToken)
                .ConfigureAwait(false);
            var observed = endpointSlices.RenderOptionsFor(pool) with
            {
                BackendReplicas = scaling?.DesiredReplicas,
                GeneratedValues = generated,
                ResolverAddress = clusterFacts.ResolverAddress,
                ServingRevision = rolling?.Step.ServingRevision,
            };
            intent = PoolIntent.For(pool, observed);
            // A changed pod template: the old revision becomes the pool's before the Deployment sees the change.
            started = await rollout.TakeOverAsync(pool, intent, reporter.Now, cancellationToken).ConfigureAwait(false);
            // Status records the rollout in this reconcile already: a restarted operator must know the old pods are the pool's.
            if (started is not null) rolling ??= (started, []);
            changes = await applier.ApplyAsync(intent, missing, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            // A 404 on a write can mean an API found earlier has gone (its CRD deleted): the retry looks again.
            if (e is k8s.Autorest.HttpOperationException { Response.StatusCode: System.Net.HttpStatusCode.NotFound })
                prerequisiteChecker.Forget(prerequisites);
            await reporter.ApplyFailedAsync(pool, e, cancellationToken).ConfigureAwait(false);
            throw;
        }

        var rebalanced = scaling is null ? null : await autoscaling.ShedAsync(pool, scaling, cancellationToken).ConfigureAwait(false);
        var rolloutEvents = rolling is { } r ? await rollout.ActAsync(pool, r.Step, r.Pods, cancellationToken).ConfigureAwait(false) : [];

        var previousDegraded = PoolConditions.Find(pool.Status, PoolConditions.Degraded);
        var ns = pool.Metadata.NamespaceProperty;
        var status = PoolStatusCalculator.Applied(intent, name => kinds.Deployments.Store.Get(ns, name), missing,
            scaling?.Readout, rolling?.Step, reporter.Now);
        await reporter.WriteStatusAsync(pool, status, cancellationToken).ConfigureAwait(false);
        if (missing.Count > 0) await reporter.MissingAsync(pool, missing, previousDegraded, cancellationToken).ConfigureAwait(false);
        poolMetrics.Observed(key.Namespace, key.Name, status.DesiredReplicas ?? 0, status.ReadyReplicas, scaling?.Connections?.Total);
        await reporter.ChangedAsync(pool, changes, cancellationToken).ConfigureAwait(false);
        if (started is not null)
            await events.RecordAsync(pool, EventTypes.Normal, "RolloutStarted", "TakeOver", started.Message, cancellationToken).ConfigureAwait(false);
        foreach (var e in rolloutEvents)
            await events.RecordAsync(pool, e.Type, e.Reason, e.Action, e.Note, cancellationToken).ConfigureAwait(false);

        // A missing prerequisite is looked for again with a per-pool backoff (seconds growing to minutes), so a
        // cluster without it is not polled in a hot loop and the pool recovers by itself once it is installed.
        TimeSpan? next = missing.Count > 0 ? prerequisiteRetries.Next(key) : null;
        if (missing.Count == 0) prerequisiteRetries.Reset(key);
        if (rolling?.Step.NextLook is { } look) next = Sooner(next, look);
        if (scaling is null) return next is { } retry ? ReconcileResult.After(retry) : ReconcileResult.Done;
        foreach (var e in rebalanced is null ? scaling.Events : scaling.Events.Append(rebalanced))
            await events.RecordAsync(pool, e.Type, e.Reason, e.Action, e.Note, cancellationToken).ConfigureAwait(false);
        return ReconcileResult.After(Sooner(next, scaling.NextPoll));
    }

    private static TimeSpan Sooner(TimeSpan? a, TimeSpan b) => a is { } x && x < b ? x : b;
}
