using k8s.Models;
using WsPool.Core.Api;
using WsPool.Core.Balancers;
using WsPool.Core.Intent;
using WsPool.Core.Rendering;
using WsPool.Core.Rollouts;

namespace WsPool.Core.Status;

/// <summary>What the autoscaler's last poll says for status: the counts (null when the reading failed) and its condition.</summary>
public sealed record ScalingReadout(ConnectionsStatus? Connections, bool ReplicasChanged, bool Status, string Reason, string Message);

/// <summary>
/// A pool's status from what was observed, as a pure function: the intent, the live Deployments, the prerequisites
/// the cluster lacks and the autoscaler's readout in; the status to write out. Starts from a copy of the current
/// status, so fields nobody computes here keep their values, and a condition whose status did not flip keeps its
/// lastTransitionTime. Tested without any API.
/// </summary>
public static class PoolStatusCalculator
{
    /// <summary>
    /// The status of a valid pool whose intent was applied (as far as the cluster can take it): Ready once every
    /// Deployment of the intent is available and nothing is missing; a missing prerequisite makes it Degraded with its
    /// reason; with scaling on, the connections, lastScaleTime and the Scaling condition.
    /// </summary>
    public static WebSocketPoolStatus Applied(PoolIntent intent, Func<string, V1Deployment?> liveDeployment,
        IReadOnlyList<ClusterPrerequisite> missing, ScalingReadout? scaling, RolloutStep? rollout, DateTime now)
    {
        var pool = intent.Pool;
        var names = PoolNames.Of(pool);
        var generation = pool.Metadata.Generation;
        var status = StatusDiff.Copy(pool.Status);
        var deployments = intent.Objects.OfType<V1Deployment>().ToList();
        var backendIntent = deployments.FirstOrDefault(d => d.Metadata.Name == names.Backend);
        var backend = liveDeployment(names.Backend);
        var desired = backendIntent?.Spec?.Replicas ?? pool.Spec.Replicas ?? pool.Spec.MinReplicas;

        status.ObservedGeneration = generation;
        status.Replicas = backend?.Status?.Replicas ?? 0;
        status.ReadyReplicas = backend?.Status?.ReadyReplicas ?? 0;
        status.DesiredReplicas = desired;
        status.Selector = PoolLabels.SelectorText(names.Pool, PoolLabels.BackendComponent);

        var waiting = deployments
            .Select(d => (Intent: d, Live: liveDeployment(d.Metadata.Name)))
            .Where(d => !IsAvailable(d.Intent, d.Live))
            .Select(d => DescribeWaiting(d.Intent, d.Live))
            .ToList();
        var conditions = status.Conditions ??= [];
        SetConvergence(conditions, waiting, missing, status.ReadyReplicas, desired, generation, now);
        status.Rollout = rollout?.Status;
        // The pool serves throughout a connection-aware rollout (Ready stays as it is), but it has not converged
        // until the last old pod is gone: Progressing is what `kubectl wait --for=condition=Progressing=false` sees.
        if (rollout?.Status is { } rolling)
            PoolConditions.Set(conditions, PoolConditions.Progressing, true, PoolConditions.Reasons.RollingOut,
                $"{rolling.Phase}: {rollout.Message}", generation, now);
        if (scaling is null) RemoveScaling(status);
        else SetScaling(status, scaling, generation, now);
        return status;
    }

    /// <summary>
    /// An invalid spec: only the conditions change (objects rendered from the last valid spec stay exactly as they
    /// are), each naming every broken rule.
    /// </summary>
    public static WebSocketPoolStatus Invalid(WebSocketPool pool, string message, DateTime now)
    {
        var status = StatusDiff.Copy(pool.Status);
        var conditions = status.Conditions ??= [];
        var generation = pool.Metadata.Generation;
        status.ObservedGeneration = generation;
        PoolConditions.Set(conditions, PoolConditions.Ready, false, PoolConditions.Reasons.InvalidSpec, message, generation, now);
        PoolConditions.Set(conditions, PoolConditions.Progressing, false, PoolConditions.Reasons.InvalidSpec,
            "Waiting for a valid spec", generation, now);
        PoolConditions.Set(conditions, PoolConditions.Degraded, true, PoolConditions.Reasons.InvalidSpec, message, generation, now);
        return status;
    }

    /// <summary>An apply the API refused: Degraded and not Ready, with the server's answer; everything else as it was.</summary>
    public static WebSocketPoolStatus ApplyFailed(WebSocketPool pool, string message, DateTime now)
    {
        var status = StatusDiff.Copy(pool.Status);
        var conditions = status.Conditions ??= [];
        PoolConditions.Set(conditions, PoolConditions.Degraded, true, PoolConditions.Reasons.ApplyFailed, message,
            pool.Metadata.Generation, now);
        PoolConditions.Set(conditions, PoolConditions.Ready, false, PoolConditions.Reasons.ApplyFailed, message,
            pool.Metadata.Generation, now);
        return status;
    }

    /// <summary>Every missing prerequisite and what to install, for a condition message and an event.</summary>
    public static string MissingMessage(IReadOnlyList<ClusterPrerequisite> missing) =>
        string.Join("; ", missing.Select(m => m.MissingMessage));

    private static void SetConvergence(List<V1Condition> conditions, IReadOnlyList<string> waiting,
        IReadOnlyList<ClusterPrerequisite> missing, int ready, int desired, long? generation, DateTime now)
    {
        if (waiting.Count > 0)
            PoolConditions.Set(conditions, PoolConditions.Progressing, true, PoolConditions.Reasons.RollingOut,
                string.Join("; ", waiting), generation, now);
        if (missing.Count > 0)
        {
            var reason = missing[0].Reason;
            var message = MissingMessage(missing);
            PoolConditions.Set(conditions, PoolConditions.Ready, false, reason, message, generation, now);
            if (waiting.Count == 0)
                PoolConditions.Set(conditions, PoolConditions.Progressing, false, reason,
                    "Every object the cluster can take is applied; waiting for what it lacks", generation, now);
            PoolConditions.Set(conditions, PoolConditions.Degraded, true, reason, message, generation, now);
            return;
        }
        if (waiting.Count == 0)
        {
            PoolConditions.Set(conditions, PoolConditions.Ready, true, PoolConditions.Reasons.Available,
                $"{ready}/{desired} backend pods ready", generation, now);
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
    }

    /// <summary>
    /// Connection counts that did not change keep their previous sampledAt (documented as "when these counts last
    /// changed"), so a steady pool's status is not rewritten every poll; a failed reading keeps the last counts.
    /// </summary>
    private static void SetScaling(WebSocketPoolStatus status, ScalingReadout scaling, long? generation, DateTime now)
    {
        if (scaling.Connections is { } connections && !SameCounts(status.Connections, connections)) status.Connections = connections;
        if (scaling.ReplicasChanged) status.LastScaleTime = now;
        PoolConditions.Set(status.Conditions ??= [], PoolConditions.Scaling, scaling.Status, scaling.Reason, scaling.Message,
            generation, now);
    }

    private static void RemoveScaling(WebSocketPoolStatus status)
    {
        status.Connections = null;
        status.Conditions?.RemoveAll(c => c.Type == PoolConditions.Scaling);
    }

    private static bool SameCounts(ConnectionsStatus? a, ConnectionsStatus b) =>
        a is not null && a.Total == b.Total
        && (a.Pods ?? []).Select(p => (p.Name, p.Connections)).SequenceEqual((b.Pods ?? []).Select(p => (p.Name, p.Connections)));

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
}
