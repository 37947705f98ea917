using System.Text.Json.Nodes;
using WsPool.KubeEmulator.Json;
using WsPool.KubeEmulator.Registry;
using WsPool.KubeEmulator.Resources;
using WsPool.KubeEmulator.Storage;

namespace WsPool.KubeEmulator.Controllers;

/// <summary>
/// The ReplicaSet controller (only while workloads are simulated): keeps as many active pods (neither terminating
/// nor finished) as <c>spec.replicas</c>, creating them from the template (<c>generateName: &lt;replicaset&gt;-</c>,
/// controlled by the ReplicaSet, bound to the node — it plays the scheduler too) and deleting surplus ones in
/// <see cref="PodDeletionOrder"/> with their grace period. Its status counts replicas, fully labelled, ready and
/// available (ready for minReadySeconds) pods for the generation observed. Pods it does not control are left
/// alone: no adoption of orphans that match the selector.
/// </summary>
public sealed class ReplicaSetController : SwitchableController
{
    private readonly ObjectRegistry _registry;
    private readonly TimeProvider _time;
    private readonly WorkloadSettings _workloads;

    internal ReplicaSetController(ObjectRegistry registry, TimeProvider time, WorkloadSettings workloads, ControllerActivity? activity = null)
        : base(registry, BuiltInResources.ReplicaSets, true, activity)
    {
        _registry = registry;
        _time = time;
        _workloads = workloads;
        registry.Store.Committed += OnCommitted;
    }



    private void OnCommitted(StoreChange change)
    {
        if (!Enabled || !_workloads.Simulated) return;
        var resource = change.After.Type.GroupResource;
        if (resource == BuiltInResources.ReplicaSets.GroupResource)
        {
            if (change.Type != Watch.WatchEventType.Deleted) Enqueue((change.After.Namespace, change.After.Name));
        }
        else if (resource == BuiltInResources.Pods.GroupResource)
        {
            foreach (var owner in Ownership.OwnersOfType(_registry.Store, change.After, BuiltInResources.ReplicaSets))
                Enqueue((owner.Namespace, owner.Name));
        }
    }

    protected override Task HandleAsync((string Namespace, string Name) key, CancellationToken stopping)
    {
        if (!Enabled || !_workloads.Simulated) return Task.CompletedTask;
        var store = _registry.Store;
        lock (store.Sync)
        {
            if (store.GetUnlocked(BuiltInResources.ReplicaSets.GroupResource, key.Namespace, key.Name) is not { IsDeleting: false } rs) return Task.CompletedTask;
            var json = rs.ToJsonObject();
            var replicas = (int)(json["spec"].Long("replicas") ?? 1);
            var active = Ownership.Controlled(store, rs, BuiltInResources.Pods).Where(p => PodState.IsActive(p.Json)).ToList();
            if (active.Count < replicas)
            {
                for (var i = active.Count; i < replicas; i++) CreatePod(rs, json);
            }
            else if (active.Count > replicas)
            {
                foreach (var (pod, _) in active.OrderBy(p => p.Json, PodDeletionOrder.Instance).Take(active.Count - replicas).ToList())
                    _registry.DeleteUnlocked(pod, new DeleteRequest());
            }
            if (WriteStatus(rs, json) is { } again) EnqueueAfter(key, again, _time);
        }
        return Task.CompletedTask;
    }

    private void CreatePod(StoredObject rs, JsonObject json)
    {
        var template = json["spec"]?["template"] as JsonObject ?? new JsonObject();
        var metadata = new JsonObject
        {
            ["generateName"] = rs.Name + "-",
            ["namespace"] = rs.Namespace,
            ["ownerReferences"] = new JsonArray(Ownership.ControllerReference(BuiltInResources.ReplicaSets, rs)),
        };
        foreach (var field in new[] { "labels", "annotations", "finalizers" })
            if (template["metadata"]?[field] is { } value) metadata[field] = value.DeepClone();
        var spec = template["spec"]?.DeepClone() as JsonObject ?? new JsonObject();
        spec["nodeName"] = _workloads.NodeName;
        var pod = new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Pod", ["metadata"] = metadata, ["spec"] = spec };
        _registry.Create(BuiltInResources.Pods, rs.Namespace, pod, WriteOptions.Internal(ObjectRegistry.ControllerManager));
    }

    /// <summary>Writes the counts as they are now; returns when a ready pod becomes available (minReadySeconds).</summary>
    private TimeSpan? WriteStatus(StoredObject rs, JsonObject json)
    {
        var now = _time.GetUtcNow();
        var minReadySeconds = json["spec"].Long("minReadySeconds") ?? 0;
        var templateLabels = JsonUtil.StringMap(json["spec"]?["template"]?["metadata"]?["labels"]);
        var pods = Ownership.Controlled(_registry.Store, rs, BuiltInResources.Pods).Select(p => p.Json).Where(PodState.IsActive).ToList();
        var status = new JsonObject
        {
            ["replicas"] = pods.Count,
            ["fullyLabeledReplicas"] = pods.Count(p => HasLabels(p, templateLabels)),
            ["readyReplicas"] = pods.Count(PodState.IsReady),
            ["availableReplicas"] = pods.Count(p => PodState.IsAvailable(p, minReadySeconds, now)),
            ["observedGeneration"] = json["metadata"].Long("generation") ?? 1,
        };
        foreach (var field in new[] { "fullyLabeledReplicas", "readyReplicas", "availableReplicas" })
            if (status.Long(field) == 0) status.Remove(field);
        if (!JsonNode.DeepEquals(json["status"], status))
        {
            var candidate = rs.ToJsonObject();
            candidate["status"] = status;
            _registry.CommitUpdate(BuiltInResources.ReplicaSets, rs, candidate, "status", WriteOptions.Internal(ObjectRegistry.ControllerManager), apply: false);
        }
        var next = pods.Select(p => PodState.BecomesAvailableAt(p, minReadySeconds, now)).OfType<DateTimeOffset>().DefaultIfEmpty().Min();
        // Available means ready for more than minReadySeconds: look just after that moment.
        return next == default ? null : next - now + TimeSpan.FromSeconds(1);
    }

    private static bool HasLabels(JsonObject pod, IReadOnlyDictionary<string, string> labels)
    {
        var podLabels = JsonUtil.StringMap(pod["metadata"]?["labels"]);
        return labels.All(l => podLabels.TryGetValue(l.Key, out var v) && v == l.Value);
    }
}
