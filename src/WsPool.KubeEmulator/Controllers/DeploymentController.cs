using System.Text.Json.Nodes;
using WsPool.KubeEmulator.Json;
using WsPool.KubeEmulator.Registry;
using WsPool.KubeEmulator.Resources;
using WsPool.KubeEmulator.Storage;
using WsPool.KubeEmulator.Watch;

namespace WsPool.KubeEmulator.Controllers;

/// <summary>
/// The Deployment controller, in one of two modes (<see cref="WorkloadSimulation"/>):
/// <list type="bullet">
/// <item><b>status only</b> (the default): there are no pods; once a Deployment's spec changes, after
/// <see cref="ReadyDelay"/>, its status reports the generation observed and every desired replica ready and
/// available, with the Available and Progressing conditions — what an operator waits for;</item>
/// <item><b>ReplicaSets and Pods</b>: it owns ReplicaSets and rolls them out (<see cref="DeploymentRollout"/>),
/// looking again whenever one of its ReplicaSets changes or a pod of one is deleted (Recreate waits for that).</item>
/// </list>
/// Status is written through the status path by the manager <c>kube-controller-manager</c>, so it bumps
/// resourceVersion but not generation. Turn <see cref="Enabled"/> off to keep Deployments as they are.
/// </summary>
public sealed class DeploymentController : SwitchableController
{
    private readonly ObjectRegistry _registry;
    private readonly TimeProvider _time;
    private readonly WorkloadSettings _workloads;
    private readonly DeploymentRollout _rollout;

    internal DeploymentController(ObjectRegistry registry, bool enabled, TimeSpan readyDelay, TimeProvider time,
        WorkloadSettings? workloads = null, ControllerActivity? activity = null) : base(registry, BuiltInResources.Deployments, enabled, activity)
    {
        _registry = registry;
        _time = time;
        _workloads = workloads ?? new WorkloadSettings(WorkloadSimulation.StatusOnly, "local");
        _rollout = new DeploymentRollout(registry, time);
        ReadyDelay = readyDelay;
        registry.Store.Committed += OnCommitted;
    }


    /// <summary>Status-only mode: how long after a change the status reports every replica ready.</summary>
    public TimeSpan ReadyDelay { get; set; }


    private void OnCommitted(StoreChange change)
    {
        if (!Enabled) return;
        var resource = change.After.Type.GroupResource;
        if (resource == BuiltInResources.Deployments.GroupResource)
        {
            if (change.Type == WatchEventType.Deleted) return;
            if (change.Before is not null && change.Before.ResourceVersion == change.After.ResourceVersion) return;
            Enqueue((change.After.Namespace, change.After.Name));
        }
        else if (resource == BuiltInResources.ReplicaSets.GroupResource && _workloads.Simulated)
        {
            foreach (var owner in Ownership.OwnersOfType(_registry.Store, change.After, BuiltInResources.Deployments))
                Enqueue((owner.Namespace, owner.Name));
        }
        else if (resource == BuiltInResources.Pods.GroupResource && change.Type == WatchEventType.Deleted && _workloads.Simulated)
        {
            foreach (var rs in Ownership.OwnersOfType(_registry.Store, change.After, BuiltInResources.ReplicaSets))
                foreach (var owner in Ownership.OwnersOfType(_registry.Store, rs, BuiltInResources.Deployments))
                    Enqueue((owner.Namespace, owner.Name));
        }
    }

    protected override async Task HandleAsync((string Namespace, string Name) key, CancellationToken stopping)
    {
        if (_workloads.Simulated)
        {
            if (!Enabled) return;
            if (_rollout.Sync(key.Namespace, key.Name) is { } again) EnqueueAfter(key, again, _time);
            return;
        }
        if (ReadyDelay > TimeSpan.Zero) await Task.Delay(ReadyDelay, stopping);
        var store = _registry.Store;
        lock (store.Sync)
        {
            if (!Enabled) return;
            var current = store.GetUnlocked(BuiltInResources.Deployments.GroupResource, key.Namespace, key.Name);
            if (current is null || current.IsDeleting) return;
            var obj = current.ToJsonObject();
            var status = DesiredStatus(obj);
            if (JsonNode.DeepEquals(WithoutTimes(obj["status"]), WithoutTimes(status))) return;
            if (obj["status"]?["conditions"] is JsonArray oldConditions && status["conditions"] is JsonArray newConditions
                && JsonNode.DeepEquals(WithoutTimes(oldConditions), WithoutTimes(newConditions)))
                status["conditions"] = oldConditions.DeepClone();
            obj["status"] = status;
            _registry.CommitUpdate(current.Type, current, obj, "status", WriteOptions.Internal(ObjectRegistry.ControllerManager), apply: false);
        }
    }

    private JsonObject DesiredStatus(JsonObject deployment)
    {
        var generation = deployment["metadata"].Long("generation") ?? 1;
        var replicas = deployment["spec"].Long("replicas") ?? 1;
        var now = KubeTime.Format(_time.GetUtcNow());
        var status = new JsonObject { ["observedGeneration"] = generation };
        if (replicas > 0)
        {
            status["replicas"] = replicas;
            status["updatedReplicas"] = replicas;
            status["readyReplicas"] = replicas;
            status["availableReplicas"] = replicas;
        }
        status["conditions"] = new JsonArray(
            Condition("Available", "MinimumReplicasAvailable", "Deployment has minimum availability.", now),
            Condition("Progressing", "NewReplicaSetAvailable", $"ReplicaSet \"{deployment["metadata"].Str("name")}\" has successfully progressed.", now));
        return status;
    }

    private static JsonObject Condition(string type, string reason, string message, string now) => new()
    {
        ["type"] = type,
        ["status"] = "True",
        ["lastUpdateTime"] = now,
        ["lastTransitionTime"] = now,
        ["reason"] = reason,
        ["message"] = message,
    };

    private static JsonNode? WithoutTimes(JsonNode? node)
    {
        var copy = node?.DeepClone();
        var conditions = copy as JsonArray ?? copy?["conditions"] as JsonArray;
        if (conditions is not null)
            foreach (var c in conditions.OfType<JsonObject>())
            {
                c.Remove("lastUpdateTime");
                c.Remove("lastTransitionTime");
            }
        return copy;
    }
}
