using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using WsPool.Core.Api;
using WsPool.Core.Balancers;
using WsPool.Core.Rendering;
using WsPool.Core.Validation;
using WsPool.Operator.Kubernetes;
using WsPool.Operator.Runtime;
using WsPool.Operator.Scaling;

namespace WsPool.Operator.Reconciling;

/// <summary>
/// Brings the cluster in line with one WebSocketPool: validate, render, apply what differs, delete what is no longer
/// wanted, report status and events. Level-triggered and idempotent: everything is read from the informer caches,
/// and with nothing changed a reconcile sends no request at all.
/// </summary>
public sealed class WebSocketPoolReconciler(
    IKubernetes client,
    PoolKind pools,
    OwnedKinds kinds,
    GeneratedSecrets secrets,
    PoolEndpointSlices endpointSlices,
    EventRecorder events,
    PoolScaler scaler,
    ShedClient shedClient,
    IPoolMetrics poolMetrics,
    ClusterPrerequisiteChecker prerequisiteChecker,
    PrerequisiteRetries prerequisiteRetries,
    TimeProvider clock,
    ILogger<WebSocketPoolReconciler> logger) : IReconciler
{
    public async Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        var pool = pools.Store.Get(key);
        // Gone, or going: owner references let the garbage collector remove what the pool owned.
        if (pool is null || pool.Metadata.DeletionTimestamp is not null)
        {
            scaler.Forget(key.Namespace, key.Name);
            poolMetrics.Forget(key.Namespace, key.Name);
            prerequisiteRetries.Reset(key);
            return ReconcileResult.Done;
        }

        var errors = PoolValidator.Validate(pool);
        if (errors.Count > 0)
        {
            await ReportInvalidAsync(pool, errors, cancellationToken).ConfigureAwait(false);
            return ReconcileResult.Done;
        }

        IReadOnlyList<IKubernetesObject<V1ObjectMeta>> intents;
        var changes = new List<string>();
        PoolScalingResult? scaling = null;
        var prerequisites = ClusterPrerequisites.For(pool.Spec);
        IReadOnlyList<ClusterPrerequisite> missing;
        try
        {
            // What the balancer kind needs from the cluster (a CRD, an IngressClass): when it is missing, say so by
            // name instead of failing on an opaque 404, apply everything the cluster can take, and look again later.
            missing = await prerequisiteChecker.MissingAsync(prerequisites, cancellationToken).ConfigureAwait(false);
            scaling = await EvaluateScalingAsync(pool, cancellationToken).ConfigureAwait(false);
            // A managed NGINX's upstream servers come from the ready endpoints of the pool's headless Service; with
            // scaling on, the operator owns the backend's replicas: both go into the render, so server-side apply
            // writes them and the intent hash (drift detection) covers them.
            var options = endpointSlices.RenderOptionsFor(pool) with { BackendReplicas = scaling?.DesiredReplicas };
            var rendered = await secrets.RenderAsync(pool, options, cancellationToken).ConfigureAwait(false);
            intents = rendered.Objects.Select(o => Prepare(o, pool)).ToList();
            foreach (var intent in intents)
            {
                var kind = KindOf(intent);
                if (NotServed(intent, missing) || kind.IsApplied(intent)) continue;
                await kind.ApplyAsync(client, intent, cancellationToken).ConfigureAwait(false);
                changes.Add($"applied {intent.Kind} {intent.Metadata.Name}");
            }
            foreach (var (kind, stale) in Unwanted(pool, intents))
            {
                await kind.DeleteAsync(client, stale.Metadata.NamespaceProperty, stale.Metadata.Name, cancellationToken)
                    .ConfigureAwait(false);
                changes.Add($"deleted {kind.Kind} {stale.Metadata.Name}");
            }
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            // A 404 on a write can mean an API found earlier has gone (its CRD deleted): the retry looks again.
            if (e is k8s.Autorest.HttpOperationException { Response.StatusCode: System.Net.HttpStatusCode.NotFound })
                prerequisiteChecker.Forget(prerequisites);
            await ReportApplyFailedAsync(pool, e, cancellationToken).ConfigureAwait(false);
            throw;
        }

        var rebalanced = scaling is null ? null : await ShedAsync(pool, scaling, cancellationToken).ConfigureAwait(false);

        var previousDegraded = PoolConditions.Find(pool.Status, PoolConditions.Degraded);
        var status = ComputeStatus(pool, intents, missing);
        if (scaling is not null) ApplyScalingStatus(pool, status, scaling);
        else RemoveScalingStatus(status);
        if (StatusDiff.Differs(pool.Status, status))
            await pools.PatchStatusAsync(client, pool, status, cancellationToken).ConfigureAwait(false);
        if (missing.Count > 0) await ReportMissingAsync(pool, missing, previousDegraded, cancellationToken).ConfigureAwait(false);
        poolMetrics.Observed(key.Namespace, key.Name, status.DesiredReplicas ?? 0, status.ReadyReplicas,
            scaling?.Connections?.Total);
        if (changes.Count > 0)
        {
            logger.LogInformation("Reconciled pool {Pool}: {Changes}", key, string.Join(", ", changes));
            await events.RecordAsync(pool, EventRecorder.Normal, PoolConditions.Reasons.Reconciled, "Apply",
                $"Generation {pool.Metadata.Generation}: {string.Join(", ", changes)}", cancellationToken).ConfigureAwait(false);
        }
        // A missing prerequisite is looked for again with a per-pool backoff (seconds growing to minutes), so a
        // cluster without it is not polled in a hot loop and the pool recovers by itself once it is installed.
        TimeSpan? next = missing.Count > 0 ? prerequisiteRetries.Next(key) : null;
        if (missing.Count == 0) prerequisiteRetries.Reset(key);
        if (scaling is null) return next is { } retry ? ReconcileResult.After(retry) : ReconcileResult.Done;
        foreach (var e in rebalanced is null ? scaling.Events : scaling.Events.Append(rebalanced))
            await events.RecordAsync(pool, e.Type, e.Reason, e.Action, e.Note, cancellationToken).ConfigureAwait(false);
        return ReconcileResult.After(next is { } sooner && sooner < scaling.NextPoll ? sooner : scaling.NextPoll);
    }

    /// <summary>True when the object's API is among the missing prerequisites: there is nothing to apply it to.</summary>
    private static bool NotServed(IKubernetesObject<V1ObjectMeta> intent, IReadOnlyList<ClusterPrerequisite> missing) =>
        missing.OfType<ApiResourcePrerequisite>().Any(m => m.Serves(intent.ApiVersion, intent.Kind));

    /// <summary>A Warning event and a log line when a prerequisite goes missing (not on every retry).</summary>
    private async Task ReportMissingAsync(WebSocketPool pool, IReadOnlyList<ClusterPrerequisite> missing,
        V1Condition? previousDegraded, CancellationToken cancellationToken)
    {
        var reason = missing[0].Reason;
        var message = MissingMessage(missing);
        if (previousDegraded is { Status: "True" } && previousDegraded.Reason == reason && previousDegraded.Message == message) return;
        logger.LogWarning("Pool {Namespace}/{Pool} waits for the cluster: {Message}", pool.Metadata.NamespaceProperty,
            pool.Metadata.Name, message);
        await events.RecordAsync(pool, EventRecorder.Warning, reason, "Apply", message, cancellationToken).ConfigureAwait(false);
    }

    private static string MissingMessage(IReadOnlyList<ClusterPrerequisite> missing) =>
        string.Join("; ", missing.Select(m => m.MissingMessage));

    /// <summary>
    /// One autoscaler poll when the pool asks for scaling and its backend Deployment exists (before that there is
    /// nothing to measure: the first apply renders minReplicas). Pods are listed from the API: the operator caches only
    /// the objects it owns, and a poll every few seconds per scaling pool is cheaper than watching every pod.
    /// On a scale-down, the pods' deletion costs are set here, before the replicas are lowered by the apply.
    /// </summary>
    private async Task<PoolScalingResult?> EvaluateScalingAsync(WebSocketPool pool, CancellationToken cancellationToken)
    {
        if (!pool.Spec.Scaling.Enabled) return null;
        var ns = pool.Metadata.NamespaceProperty;
        var names = PoolNames.Of(pool);
        var backend = kinds.Deployments.Store.Get(ns, names.Backend);
        if (backend is null) return null;
        var current = backend.Spec?.Replicas ?? pool.Spec.MinReplicas;
        var backendPods = await ListPodsAsync(ns, names.Pool, PoolLabels.BackendComponent, cancellationToken).ConfigureAwait(false);
        // Only a managed HAProxy reports sessions; otherwise connections come from the pods themselves.
        var balancerPods = pool.Spec.Balancer.Type == BalancerType.HAProxy && pool.Spec.Scaling.Metrics.Source != MetricsSource.Pods
            ? await ListPodsAsync(ns, names.Pool, PoolLabels.BalancerComponent, cancellationToken).ConfigureAwait(false)
            : [];
        var now = clock.GetUtcNow().UtcDateTime;
        var result = await scaler.EvaluateAsync(pool, backendPods, balancerPods, current, now, cancellationToken).ConfigureAwait(false);
        if (result.ScalesDown)
        {
            // The ReplicaSet removes the cheapest pods first: mark the least-connected ones before lowering replicas.
            foreach (var (pod, cost) in result.DeletionCosts)
            {
                var patch = new V1Patch(new V1Pod
                {
                    Metadata = new V1ObjectMeta
                    {
                        Annotations = new Dictionary<string, string> { [PoolScalingResult.DeletionCostAnnotation] = cost },
                    },
                }, V1Patch.PatchType.MergePatch);
                try
                {
                    await client.CoreV1.PatchNamespacedPodAsync(patch, pod, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
                }
                catch (k8s.Autorest.HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
                {
                    // Already gone: one pod fewer to choose from, nothing to mark.
                }
            }
        }
        return result;
    }

    private async Task<IReadOnlyList<V1Pod>> ListPodsAsync(string ns, string pool, string component,
        CancellationToken cancellationToken)
    {
        var selector = string.Join(",", PoolLabels.Selector(pool, component).Select(l => $"{l.Key}={l.Value}"));
        var list = await client.CoreV1.ListNamespacedPodAsync(ns, labelSelector: selector, cancellationToken: cancellationToken)
            .ConfigureAwait(false);
        return list.Items?.ToList() ?? [];
    }

    /// <summary>
    /// Sends the rebalancer's shed requests (POST /shed on each hot pod's admin port, all at once) and returns the
    /// event that reports them: <c>Rebalanced</c> with the policy's numbers and what the pods say they closed, or
    /// <c>RebalanceFailed</c> when no pod closed anything and some failed. Best effort: a pod that does not answer
    /// keeps its connections, and the policy tries again at a later poll within its per-minute budget.
    /// </summary>
    private async Task<ScalingEvent?> ShedAsync(WebSocketPool pool, PoolScalingResult scaling, CancellationToken cancellationToken)
    {
        if (scaling.Shed.Count == 0) return null;
        var results = await shedClient.ShedAllAsync(scaling.Shed, cancellationToken).ConfigureAwait(false);
        var failures = results.Where(r => r.Error is not null).ToList();
        foreach (var failed in failures)
            logger.LogWarning("Shedding {Count} connections from pod {Pod} of pool {Namespace}/{Pool} failed: {Error}",
                failed.Requested, failed.Pod, pool.Metadata.NamespaceProperty, pool.Metadata.Name, failed.Error);
        var closed = results.Sum(r => r.Closed);
        var requested = results.Sum(r => r.Requested);
        var note = $"{scaling.Rebalance.Reason}; closed {closed} of {requested} (close code 1012)";
        if (failures.Count > 0) note += $"; failed: {string.Join("; ", failures.Select(f => $"{f.Pod}: {f.Error}"))}";
        return closed == 0 && failures.Count > 0
            ? new ScalingEvent(EventRecorder.Warning, "RebalanceFailed", "Shed", note)
            : new ScalingEvent(EventRecorder.Normal, "Rebalanced", "Shed", note);
    }

    /// <summary>
    /// desiredReplicas (already from the intent), connections, lastScaleTime and the Scaling condition. Connection
    /// counts that did not change keep their previous sampledAt (documented as "when these counts last changed"), so
    /// a steady pool's status is not rewritten every poll; a failed reading keeps the last counts.
    /// </summary>
    private void ApplyScalingStatus(WebSocketPool pool, WebSocketPoolStatus status, PoolScalingResult scaling)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        if (scaling.Connections is { } connections && !SameCounts(status.Connections, connections)) status.Connections = connections;
        if (scaling.DesiredReplicas != scaling.CurrentReplicas) status.LastScaleTime = now;
        var c = scaling.Condition;
        PoolConditions.Set(status.Conditions ??= [], ScalingConditionValue.Type, c.Status, c.Reason, c.Message,
            pool.Metadata.Generation, now);
    }

    private static void RemoveScalingStatus(WebSocketPoolStatus status)
    {
        status.Connections = null;
        status.Conditions?.RemoveAll(c => c.Type == ScalingConditionValue.Type);
    }

    private static bool SameCounts(ConnectionsStatus? a, ConnectionsStatus b) =>
        a is not null && a.Total == b.Total
        && (a.Pods ?? []).Select(p => (p.Name, p.Connections)).SequenceEqual((b.Pods ?? []).Select(p => (p.Name, p.Connections)));

    private IOwnedKind KindOf(IKubernetesObject<V1ObjectMeta> obj) =>
        kinds.For(obj.ApiVersion, obj.Kind)
        ?? throw new InvalidOperationException($"the renderer produced {obj.ApiVersion} {obj.Kind}, which the operator does not manage");

    /// <summary>Completes a rendered object for apply: identity, namespace, owner, the managed-by label, the intent hash.</summary>
    private static IKubernetesObject<V1ObjectMeta> Prepare(IKubernetesObject<V1ObjectMeta> obj, WebSocketPool pool)
    {
        if (string.IsNullOrEmpty(obj.ApiVersion) || string.IsNullOrEmpty(obj.Kind))
        {
            var entity = obj.GetType().GetCustomAttributes(typeof(KubernetesEntityAttribute), false)
                .OfType<KubernetesEntityAttribute>().FirstOrDefault()
                ?? throw new InvalidOperationException($"rendered {obj.GetType().Name} has no apiVersion/kind");
            obj.ApiVersion = string.IsNullOrEmpty(entity.Group) ? entity.ApiVersion : $"{entity.Group}/{entity.ApiVersion}";
            obj.Kind = entity.Kind;
        }
        obj.Metadata.NamespaceProperty ??= pool.Metadata.NamespaceProperty;
        obj.Metadata.Labels ??= new Dictionary<string, string>();
        obj.Metadata.Labels[PoolLabels.ManagedBy] = PoolLabels.ManagedByValue;
        obj.Metadata.OwnerReferences =
        [
            new V1OwnerReference
            {
                ApiVersion = pool.ApiVersion,
                Kind = pool.Kind,
                Name = pool.Metadata.Name,
                Uid = pool.Metadata.Uid,
                Controller = true,
                BlockOwnerDeletion = true,
            },
        ];
        AppliedIntent.Stamp(obj);
        return obj;
    }

    /// <summary>Cached objects this pool controls that the current render no longer produces.</summary>
    private IEnumerable<(IOwnedKind Kind, IKubernetesObject<V1ObjectMeta> Object)> Unwanted(WebSocketPool pool,
        IReadOnlyList<IKubernetesObject<V1ObjectMeta>> intents)
    {
        var wanted = intents.Select(i => (i.ApiVersion, i.Kind, i.Metadata.Name)).ToHashSet();
        foreach (var kind in kinds.All)
        {
            foreach (var obj in kind.CachedControlledBy(pool.Metadata.Uid))
            {
                if (!wanted.Contains((kind.ApiVersion, kind.Kind, obj.Metadata.Name))) yield return (kind, obj);
            }
        }
    }

    /// <summary>
    /// Status from the cached Deployments the pool renders: Ready once every one of them is available and the cluster
    /// has what the balancer needs; a missing prerequisite makes the pool Degraded with its reason.
    /// </summary>
    private WebSocketPoolStatus ComputeStatus(WebSocketPool pool, IReadOnlyList<IKubernetesObject<V1ObjectMeta>> intents,
        IReadOnlyList<ClusterPrerequisite> missing)
    {
        var ns = pool.Metadata.NamespaceProperty;
        var names = PoolNames.Of(pool);
        var generation = pool.Metadata.Generation;
        var status = StatusDiff.Copy(pool.Status);
        var backendIntent = intents.OfType<V1Deployment>().FirstOrDefault(d => d.Metadata.Name == names.Backend);
        var backend = kinds.Deployments.Store.Get(ns, names.Backend);
        var desired = backendIntent?.Spec?.Replicas ?? pool.Spec.Replicas ?? pool.Spec.MinReplicas;

        status.ObservedGeneration = generation;
        status.Replicas = backend?.Status?.Replicas ?? 0;
        status.ReadyReplicas = backend?.Status?.ReadyReplicas ?? 0;
        status.DesiredReplicas = desired;
        status.Selector = string.Join(",",
            PoolLabels.Selector(names.Pool, PoolLabels.BackendComponent).Select(l => $"{l.Key}={l.Value}"));

        var waiting = intents.OfType<V1Deployment>()
            .Select(d => (Intent: d, Live: kinds.Deployments.Store.Get(ns, d.Metadata.Name)))
            .Where(d => !IsAvailable(d.Intent, d.Live))
            .Select(d => DescribeWaiting(d.Intent, d.Live))
            .ToList();
        var now = clock.GetUtcNow().UtcDateTime;
        var conditions = status.Conditions ??= [];
        if (waiting.Count > 0)
        {
            var message = string.Join("; ", waiting);
            PoolConditions.Set(conditions, PoolConditions.Progressing, true, PoolConditions.Reasons.RollingOut, message, generation, now);
        }
        if (missing.Count > 0)
        {
            var reason = missing[0].Reason;
            var message = MissingMessage(missing);
            PoolConditions.Set(conditions, PoolConditions.Ready, false, reason, message, generation, now);
            if (waiting.Count == 0)
                PoolConditions.Set(conditions, PoolConditions.Progressing, false, reason,
                    "Every object the cluster can take is applied; waiting for what it lacks", generation, now);
            PoolConditions.Set(conditions, PoolConditions.Degraded, true, reason, message, generation, now);
            return status;
        }
        if (waiting.Count == 0)
        {
            PoolConditions.Set(conditions, PoolConditions.Ready, true, PoolConditions.Reasons.Available,
                $"{status.ReadyReplicas}/{desired} backend pods ready", generation, now);
            PoolConditions.Set(conditions, PoolConditions.Progressing, false, PoolConditions.Reasons.Complete,
                "Every object is applied and available", generation, now);
        }
        else
        {
            PoolConditions.Set(conditions, PoolConditions.Ready, false, PoolConditions.Reasons.RollingOut,
                string.Join("; ", waiting), generation, now);
        }
        PoolConditions.Set(conditions, PoolConditions.Degraded, false, PoolConditions.Reasons.AsExpected,
            "Every object is applied", generation, now);
        return status;
    }

    /// <summary>A Deployment is available when its controller saw the current spec and enough replicas are ready.</summary>
    private static bool IsAvailable(V1Deployment intent, V1Deployment? live)
    {
        if (live?.Status is not { } s) return false;
        var want = intent.Spec?.Replicas ?? 1;
        var observed = s.ObservedGeneration is null || s.ObservedGeneration >= live.Metadata.Generation;
        var ready = s.ReadyReplicas ?? 0;
        return observed && ready >= want && (s.UpdatedReplicas ?? ready) >= want;
    }

    private static string DescribeWaiting(V1Deployment intent, V1Deployment? live) =>
        $"Deployment {intent.Metadata.Name}: {live?.Status?.ReadyReplicas ?? 0}/{intent.Spec?.Replicas ?? 1} ready";

    private async Task ReportInvalidAsync(WebSocketPool pool, IReadOnlyList<ValidationError> errors,
        CancellationToken cancellationToken)
    {
        var message = string.Join("; ", errors.Select(e => e.ToString()));
        var previous = PoolConditions.Find(pool.Status, PoolConditions.Ready);
        var alreadyReported = previous is { Reason: PoolConditions.Reasons.InvalidSpec }
            && previous.ObservedGeneration == pool.Metadata.Generation && previous.Message == message;
        var status = StatusDiff.Copy(pool.Status);
        var conditions = status.Conditions ??= [];
        var now = clock.GetUtcNow().UtcDateTime;
        var generation = pool.Metadata.Generation;
        // Only the conditions change: objects rendered from the last valid spec stay exactly as they are.
        status.ObservedGeneration = generation;
        PoolConditions.Set(conditions, PoolConditions.Ready, false, PoolConditions.Reasons.InvalidSpec, message, generation, now);
        PoolConditions.Set(conditions, PoolConditions.Progressing, false, PoolConditions.Reasons.InvalidSpec,
            "Waiting for a valid spec", generation, now);
        PoolConditions.Set(conditions, PoolConditions.Degraded, true, PoolConditions.Reasons.InvalidSpec, message, generation, now);
        if (StatusDiff.Differs(pool.Status, status))
            await pools.PatchStatusAsync(client, pool, status, cancellationToken).ConfigureAwait(false);
        if (!alreadyReported)
        {
            logger.LogWarning("Pool {Namespace}/{Pool} is invalid: {Errors}", pool.Metadata.NamespaceProperty,
                pool.Metadata.Name, message);
            await events.RecordAsync(pool, EventRecorder.Warning, PoolConditions.Reasons.InvalidSpec, "Validate", message,
                cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Best effort: tell the user why the pool is not converging; the reconcile is retried either way.</summary>
    private async Task ReportApplyFailedAsync(WebSocketPool pool, Exception error, CancellationToken cancellationToken)
    {
        var message = error is k8s.Autorest.HttpOperationException h
            ? $"HTTP {(int)h.Response.StatusCode}: {Truncate(h.Response.Content)}"
            : error.Message;
        var previous = PoolConditions.Find(pool.Status, PoolConditions.Degraded);
        try
        {
            var status = StatusDiff.Copy(pool.Status);
            var conditions = status.Conditions ??= [];
            var now = clock.GetUtcNow().UtcDateTime;
            PoolConditions.Set(conditions, PoolConditions.Degraded, true, PoolConditions.Reasons.ApplyFailed, message,
                pool.Metadata.Generation, now);
            PoolConditions.Set(conditions, PoolConditions.Ready, false, PoolConditions.Reasons.ApplyFailed, message,
                pool.Metadata.Generation, now);
            if (StatusDiff.Differs(pool.Status, status))
                await pools.PatchStatusAsync(client, pool, status, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            logger.LogDebug("Could not write the ApplyFailed status of {Pool}: {Error}", pool.Metadata.Name, e.Message);
        }
        if (previous?.Reason != PoolConditions.Reasons.ApplyFailed)
            await events.RecordAsync(pool, EventRecorder.Warning, PoolConditions.Reasons.ApplyFailed, "Apply", message,
                cancellationToken).ConfigureAwait(false);
    }

    private static string Truncate(string? s) => s is null ? "" : s.Length > 300 ? s[..300] : s;
}
