using System.Globalization;
using System.Text.Json.Nodes;
using WsPool.KubeEmulator.Json;
using WsPool.KubeEmulator.Storage;

namespace WsPool.KubeEmulator.Controllers;

/// <summary>A ReplicaSet as its Deployment reads it: desired replicas, the counts its status reports, its revision.</summary>
internal sealed class ReplicaSetView(StoredObject stored, JsonObject json)
{
    public StoredObject Stored => stored;
    public JsonObject Json => json;
    public string Name => stored.Name;
    public int Replicas => (int)(json["spec"].Long("replicas") ?? 1);
    public int StatusReplicas => (int)(json["status"].Long("replicas") ?? 0);
    public int Ready => (int)(json["status"].Long("readyReplicas") ?? 0);
    public int Available => (int)(json["status"].Long("availableReplicas") ?? 0);

    /// <summary>
    /// The available pods a rollout may count on. A status older than the spec (the ReplicaSet was just scaled down
    /// and has not deleted pods yet) still counts pods about to go; counting them would let the next step take
    /// away availability twice.
    /// </summary>
    public int AvailableForRollout => StatusCurrent ? Available : Math.Min(Available, Replicas);

    /// <summary>
    /// The pods the ReplicaSet may still run, for the surge: one just scaled down keeps its pods until its
    /// controller has caught up, and growing the new ReplicaSet into that room would briefly exceed maxSurge.
    /// </summary>
    public int ReplicasForSurge => StatusCurrent ? Replicas : Math.Max(Replicas, StatusReplicas);

    public bool StatusCurrent => (json["status"].Long("observedGeneration") ?? 0) >= (json["metadata"].Long("generation") ?? 1);

    public long Revision =>
        long.TryParse(json["metadata"]?["annotations"].Str(DeploymentRollout.RevisionAnnotation), NumberStyles.None, CultureInfo.InvariantCulture, out var r) ? r : 0;

    public DateTimeOffset Created => KubeTime.Parse(json["metadata"].Str("creationTimestamp")) ?? DateTimeOffset.MinValue;
}
