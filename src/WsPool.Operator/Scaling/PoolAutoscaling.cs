using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using WsPool.Core.Api;
using WsPool.Core.Balancers;
using WsPool.Core.Rendering;
using WsPool.Core.Status;
using WsPool.Operator.Kubernetes;

namespace WsPool.Operator.Scaling;

/// <summary>
/// The autoscaler's part of a reconcile, around the pure policy in <see cref="PoolScaler"/>: read the pods, decide,
/// mark the pods to remove on a scale-down, and (after the apply) send the rebalancer's shed requests.
/// </summary>
public sealed class PoolAutoscaling(
    IKubernetes client,
    OwnedKinds kinds,
    PoolScaler scaler,
    ShedClient shedClient,
    TimeProvider clock,
    ILogger<PoolAutoscaling> logger)
{
    /// <summary>
    /// One poll when the pool asks for scaling and its backend Deployment exists (before that there is nothing to
    /// measure: the first apply renders minReplicas). Pods are listed from the API: the operator caches only the
    /// objects it owns, and a poll every few seconds per scaling pool is cheaper than watching every pod. On a
    /// scale-down, the pods' deletion costs are set here, before the replicas are lowered by the apply.
    /// </summary>
    /// <remarks>While a connection-aware rollout is in progress (<paramref name="rollingOut"/>) the pool may grow
    /// but neither shrinks nor rebalances (see <see cref="PoolScaler.EvaluateAsync"/>).</remarks>
    public async Task<PoolScalingResult?> EvaluateAsync(WebSocketPool pool, bool rollingOut, CancellationToken cancellationToken)
    {
        if (!pool.Spec.Scaling.Enabled) return null;
        var ns = pool.Metadata.NamespaceProperty;
        var names = PoolNames.Of(pool);
        var backend = kinds.Deployments.Store.Get(ns, names.Backend);
        if (backend is null) return null;
        var current = backend.Spec?.Replicas ?? pool.Spec.MinReplicas;
        var backendPods = await PoolObjects.ListPodsAsync(client, ns, names.Pool, PoolLabels.BackendComponent, cancellationToken).ConfigureAwait(false);
        // Only a balancer that reports sessions (a managed HAProxy) is read; otherwise connections come from the pods.
        var balancerPods = BalancerKinds.MetricsSourceOf(pool.Spec) == MetricsSource.Balancer
            ? await PoolObjects.ListPodsAsync(client, ns, names.Pool, PoolLabels.BalancerComponent, cancellationToken).ConfigureAwait(false)
            : [];
        var now = clock.GetUtcNow().UtcDateTime;
        var result = await scaler.EvaluateAsync(pool, backendPods, balancerPods, current, now, rollingOut, cancellationToken).ConfigureAwait(false);
        if (result.ScalesDown) await MarkDeletionCostsAsync(ns, result.DeletionCosts, cancellationToken).ConfigureAwait(false);
        return result;
    }

    /// <summary>Drops what the autoscaler remembers of a pool that is gone.</summary>
    public void Forget(WsPool.Operator.Runtime.ObjectKey pool) => scaler.Forget(pool.Namespace, pool.Name);

    /// <summary>
    /// Sends the rebalancer's shed requests (POST /shed on each hot pod's admin port, all at once) and returns the
    /// event that reports them: <c>Rebalanced</c> with the policy's numbers and what the pods say they closed, or
    /// <c>RebalanceFailed</c> when no pod closed anything and some failed. Best effort: a pod that does not answer
    /// keeps its connections, and the policy tries again at a later poll within its per-minute budget.
    /// </summary>
    public async Task<ScalingEvent?> ShedAsync(WebSocketPool pool, PoolScalingResult scaling, CancellationToken cancellationToken)
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
            ? new ScalingEvent(EventTypes.Warning, "RebalanceFailed", "Shed", note)
            : new ScalingEvent(EventTypes.Normal, "Rebalanced", "Shed", note);
    }

    /// <summary>The ReplicaSet removes the cheapest pods first: the least-connected ones are marked before replicas drop.</summary>
    private async Task MarkDeletionCostsAsync(string ns, IReadOnlyDictionary<string, string> costs, CancellationToken cancellationToken)
    {
        foreach (var (pod, cost) in costs)
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
}
