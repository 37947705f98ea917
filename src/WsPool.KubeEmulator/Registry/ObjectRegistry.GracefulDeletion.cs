using System.Text.Json.Nodes;
using WsPool.KubeEmulator.Json;
using WsPool.KubeEmulator.Storage;

namespace WsPool.KubeEmulator.Registry;

/// <summary>
/// Graceful deletion of pods, as the API server does it: deleting a pod that runs on a node marks it (deletionTimestamp
/// now + grace period, deletionGracePeriodSeconds) instead of removing it, and the node's kubelet removes it once
/// its containers stopped, with a delete whose grace period is 0. The grace period is the request's, else the pod's
/// terminationGracePeriodSeconds, else 30 s; a pod on no node or already finished goes at once; a second delete
/// can only shorten the period. Only while workloads are simulated: without them nothing would ever confirm.
/// </summary>
public sealed partial class ObjectRegistry
{
    private const long DefaultTerminationGracePeriodSeconds = 30;

    /// <summary>Whether pods are deleted gracefully (someone plays the kubelet).</summary>
    internal bool GracefulPodDeletion => Workloads?.Simulated == true;

    internal Controllers.WorkloadSettings? Workloads { get; set; }

    /// <summary>The outcome of a graceful deletion, or null when the pod is deleted as any other object.</summary>
    private (StoredObject Object, bool Gone)? DeletePodGracefully(StoredObject existing, DeleteRequest request)
    {
        var pod = existing.ToJsonObject();
        var meta = pod.Metadata();
        var grace = request.GracePeriodSeconds ?? pod["spec"].Long("terminationGracePeriodSeconds") ?? DefaultTerminationGracePeriodSeconds;
        if (string.IsNullOrEmpty(pod["spec"].Str("nodeName")) || pod["status"].Str("phase") is "Succeeded" or "Failed")
            grace = 0; // nothing runs it: nothing to wait for
        var current = existing.IsDeleting ? meta.Long("deletionGracePeriodSeconds") ?? 0 : (long?)null;
        if (current is { } c && c <= grace) return (existing, false);
        if (grace == 0)
        {
            // Removed now, unless finalizers hold it: then it waits for them with its grace period over.
            if (!existing.IsDeleting || existing.Finalizers.Count == 0) return null;
            meta["deletionGracePeriodSeconds"] = 0;
            return (_store.Put(existing.Type, pod, existing), false);
        }
        meta["deletionTimestamp"] = KubeTime.Format(_time.GetUtcNow().AddSeconds(grace));
        meta["deletionGracePeriodSeconds"] = grace;
        return (_store.Put(existing.Type, pod, existing), false);
    }
}
