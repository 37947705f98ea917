using System.Text.Json.Nodes;
using WsPool.KubeEmulator.Json;

namespace WsPool.KubeEmulator.Controllers;

/// <summary>
/// Which pods a ReplicaSet deletes first when it scales down, in the order the ReplicaSet documentation gives:
/// pods not yet on a node, then pending before unknown before running pods, not-ready before ready pods, lower
/// <c>controller.kubernetes.io/pod-deletion-cost</c> first, then the pod that became ready more recently, the one
/// whose containers restarted more, and the more recently created. Every pod here is on the one node, so the
/// documented preference for pods on nodes with more replicas never separates two pods; the name settles the rest
/// (the documentation says random), so a test sees the same choice every run.
/// </summary>
internal sealed class PodDeletionOrder : IComparer<JsonObject>
{
    public static readonly PodDeletionOrder Instance = new();

    public int Compare(JsonObject? x, JsonObject? y)
    {
        if (ReferenceEquals(x, y)) return 0;
        if (x is null) return -1;
        if (y is null) return 1;
        int c;
        if ((c = Assigned(x).CompareTo(Assigned(y))) != 0) return c;
        if ((c = PhaseRank(x).CompareTo(PhaseRank(y))) != 0) return c;
        if ((c = PodState.IsReady(x).CompareTo(PodState.IsReady(y))) != 0) return c;
        if ((c = PodState.DeletionCost(x).CompareTo(PodState.DeletionCost(y))) != 0) return c;
        if (PodState.ReadySince(x) is { } readyX && PodState.ReadySince(y) is { } readyY && (c = readyY.CompareTo(readyX)) != 0) return c;
        if ((c = PodState.Restarts(y).CompareTo(PodState.Restarts(x))) != 0) return c;
        if ((c = PodState.Created(y).CompareTo(PodState.Created(x))) != 0) return c;
        return string.CompareOrdinal(x["metadata"].Str("name"), y["metadata"].Str("name"));
    }

    private static bool Assigned(JsonObject pod) => !string.IsNullOrEmpty(PodState.NodeName(pod));

    private static int PhaseRank(JsonObject pod) => PodState.Phase(pod) switch
    {
        null or "" or "Pending" => 0,
        "Unknown" => 1,
        _ => 2,
    };
}
