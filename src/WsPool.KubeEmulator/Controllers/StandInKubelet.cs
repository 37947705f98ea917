using System.Text.Json.Nodes;
using WsPool.KubeEmulator.Json;
using WsPool.KubeEmulator.Registry;
using WsPool.KubeEmulator.Resources;
using WsPool.KubeEmulator.Storage;

namespace WsPool.KubeEmulator.Controllers;

/// <summary>
/// Plays the kubelet of the one node while workloads are simulated, for pods bound to it: a pending pod becomes
/// Running and Ready after <see cref="ReadyDelay"/> with a pod IP of its own (<see cref="PodIpPool"/>); a pod deleted
/// with a grace period is removed once its containers have "stopped", <see cref="StopDelay"/> after the kubelet saw
/// the deletion but never later than the grace period — the kubelet's confirmation, a delete with
/// gracePeriodSeconds=0. Nothing runs. Off (<see cref="Enabled"/>), pods stay Pending and terminating pods stay
/// until someone else (a process runner in local mode) writes their status and confirms their deletion.
/// </summary>
public sealed class StandInKubelet : SwitchableController
{
    public const string FieldManager = "kubelet";

    private readonly ObjectRegistry _registry;
    private readonly TimeProvider _time;
    private readonly WorkloadSettings _workloads;
    private readonly Dictionary<(string Namespace, string Name), Tracked> _pods = new();

    /// <summary>What the kubelet remembers of a pod: its uid, the IP it gave, when it first saw it pending or deleted.</summary>
    private sealed class Tracked(string uid)
    {
        public string Uid { get; } = uid;
        public string? Ip { get; set; }
        public DateTimeOffset? SeenPending { get; set; }
        public DateTimeOffset? SeenDeleted { get; set; }
    }

    internal StandInKubelet(ObjectRegistry registry, TimeProvider time, WorkloadSettings workloads, bool enabled,
        TimeSpan readyDelay, TimeSpan stopDelay, ControllerActivity? activity = null) : base(registry, BuiltInResources.Pods, enabled, activity)
    {
        _registry = registry;
        _time = time;
        _workloads = workloads;
        ReadyDelay = readyDelay;
        StopDelay = stopDelay;
        registry.Store.Committed += OnCommitted;
    }

    /// <summary>The node this kubelet runs; pods bound to another name are not its business.</summary>
    public string NodeName => _workloads.NodeName;

    /// <summary>How long a pending pod waits before it is Running and Ready.</summary>
    public TimeSpan ReadyDelay { get; set; }

    /// <summary>How long a deleted pod's containers take to stop (capped by the pod's grace period).</summary>
    public TimeSpan StopDelay { get; set; }

    /// <summary>The pod IPs handed out.</summary>
    public PodIpPool Ips { get; } = new();



    private void OnCommitted(StoreChange change)
    {
        // Deletions are handled even while off, so that the IPs of removed pods come back.
        if (!_workloads.Simulated || change.After.Type.GroupResource != BuiltInResources.Pods.GroupResource) return;
        if (Enabled || change.Type == Watch.WatchEventType.Deleted) Enqueue((change.After.Namespace, change.After.Name));
    }

    protected override Task HandleAsync((string Namespace, string Name) key, CancellationToken stopping)
    {
        var store = _registry.Store;
        lock (store.Sync)
        {
            var stored = store.GetUnlocked(BuiltInResources.Pods.GroupResource, key.Namespace, key.Name);
            var tracked = Track(key, stored);
            if (!Enabled || !_workloads.Simulated || stored is null || tracked is null) return Task.CompletedTask;
            var pod = stored.ToJsonObject();
            if (PodState.NodeName(pod) != NodeName) return Task.CompletedTask;
            var now = _time.GetUtcNow();
            if (PodState.IsTerminating(pod))
            {
                var grace = pod["metadata"].Long("deletionGracePeriodSeconds") ?? 0;
                if (grace <= 0) return Task.CompletedTask; // only finalizers hold it now
                tracked.SeenDeleted ??= now;
                var stop = StopDelay < TimeSpan.FromSeconds(grace) ? StopDelay : TimeSpan.FromSeconds(grace);
                var due = tracked.SeenDeleted.Value + stop;
                if (now < due) EnqueueAfter(key, due - now, _time);
                else if (_registry.DeleteUnlocked(stored, new DeleteRequest(PreconditionUid: stored.Uid, GracePeriodSeconds: 0)).Gone)
                    Track(key, null); // the IP is free for the next pod at once, not when the deletion event comes round

            }
            else if (PodState.Phase(pod) is null or "Pending" && string.IsNullOrEmpty(PodState.PodIp(pod)))
            {
                tracked.SeenPending ??= now;
                var due = tracked.SeenPending.Value + ReadyDelay;
                if (now < due) EnqueueAfter(key, due - now, _time);
                else Start(stored, pod, tracked, now);
            }
        }
        return Task.CompletedTask;
    }

    /// <summary>Forgets (and frees the IP of) a pod that is gone or was replaced under the same name; the current pod's record.</summary>
    private Tracked? Track((string Namespace, string Name) key, StoredObject? stored)
    {
        if (_pods.TryGetValue(key, out var tracked) && tracked.Uid != stored?.Uid)
        {
            if (tracked.Ip is not null) Ips.Release(tracked.Ip);
            _pods.Remove(key);
            tracked = null;
        }
        if (stored is null) return null;
        if (tracked is null) _pods[key] = tracked = new Tracked(stored.Uid);
        return tracked;
    }

    private void Start(StoredObject stored, JsonObject pod, Tracked tracked, DateTimeOffset now)
    {
        tracked.Ip ??= Ips.Allocate();
        var time = KubeTime.Format(now);
        var status = pod["status"]?.DeepClone() as JsonObject ?? new JsonObject();
        status["phase"] = "Running";
        status["hostIP"] = "127.0.0.1";
        status["hostIPs"] = new JsonArray(new JsonObject { ["ip"] = "127.0.0.1" });
        status["podIP"] = tracked.Ip;
        status["podIPs"] = new JsonArray(new JsonObject { ["ip"] = tracked.Ip });
        status["startTime"] = time;
        status["conditions"] = new JsonArray(
            new[] { "PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", "PodScheduled" }
                .Select(type => (JsonNode)new JsonObject { ["type"] = type, ["status"] = "True", ["lastProbeTime"] = null, ["lastTransitionTime"] = time })
                .ToArray());
        status["containerStatuses"] = new JsonArray((pod["spec"]?["containers"] as JsonArray ?? [])
            .OfType<JsonObject>()
            .Select(c => (JsonNode)new JsonObject
            {
                ["name"] = c.Str("name"),
                ["image"] = c.Str("image"),
                ["imageID"] = "",
                ["ready"] = true,
                ["started"] = true,
                ["restartCount"] = 0,
                ["state"] = new JsonObject { ["running"] = new JsonObject { ["startedAt"] = time } },
            })
            .ToArray());
        var candidate = stored.ToJsonObject();
        candidate["status"] = status;
        _registry.CommitUpdate(BuiltInResources.Pods, stored, candidate, "status", WriteOptions.Internal(FieldManager), apply: false);
    }
}
