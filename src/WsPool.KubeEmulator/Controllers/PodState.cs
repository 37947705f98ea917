using System.Globalization;
using System.Text.Json.Nodes;
using WsPool.KubeEmulator.Json;

namespace WsPool.KubeEmulator.Controllers;

/// <summary>
/// How the controllers read a Pod, with the meanings the Kubernetes documentation gives: <em>active</em> (counted
/// toward a ReplicaSet's replicas: neither terminating nor finished), <em>ready</em> (condition Ready is True) and
/// <em>available</em> (ready for at least minReadySeconds).
/// </summary>
internal static class PodState
{
    public const string DeletionCostAnnotation = "controller.kubernetes.io/pod-deletion-cost";

    public static string? Phase(JsonObject pod) => pod["status"].Str("phase");

    public static string? NodeName(JsonObject pod) => pod["spec"].Str("nodeName");

    public static string? PodIp(JsonObject pod) => pod["status"].Str("podIP");

    public static bool IsTerminating(JsonObject pod) => pod["metadata"]?["deletionTimestamp"] is not null;

    public static bool IsFinished(JsonObject pod) => Phase(pod) is "Succeeded" or "Failed";

    public static bool IsActive(JsonObject pod) => !IsTerminating(pod) && !IsFinished(pod);

    public static bool IsReady(JsonObject pod) => ReadyCondition(pod)?.Str("status") == "True";

    /// <summary>When the pod last became ready (the Ready condition's transition), or null when it is not ready.</summary>
    public static DateTimeOffset? ReadySince(JsonObject pod) =>
        ReadyCondition(pod) is { } c && c.Str("status") == "True" ? KubeTime.Parse(c.Str("lastTransitionTime")) : null;

    /// <summary>
    /// Ready for more than <paramref name="minReadySeconds"/>; a ready pod without a transition time counts as
    /// ready since ever (a runner that writes only the status it knows still gets its pods available).
    /// </summary>
    public static bool IsAvailable(JsonObject pod, long minReadySeconds, DateTimeOffset now)
    {
        if (!IsReady(pod)) return false;
        if (minReadySeconds <= 0) return true;
        return ReadySince(pod) is not { } since || since.AddSeconds(minReadySeconds) < now;
    }

    /// <summary>When a ready but not yet available pod becomes available; null when that is not pending.</summary>
    public static DateTimeOffset? BecomesAvailableAt(JsonObject pod, long minReadySeconds, DateTimeOffset now) =>
        minReadySeconds > 0 && ReadySince(pod) is { } since && since.AddSeconds(minReadySeconds) >= now
            ? since.AddSeconds(minReadySeconds)
            : null;

    /// <summary>The pod-deletion-cost annotation; absent or not an int32 counts as 0.</summary>
    public static int DeletionCost(JsonObject pod) =>
        int.TryParse(pod["metadata"]?["annotations"].Str(DeletionCostAnnotation), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var cost)
            ? cost
            : 0;

    public static long Restarts(JsonObject pod) =>
        (pod["status"]?["containerStatuses"] as JsonArray)?.Select(s => s.Long("restartCount") ?? 0).DefaultIfEmpty(0).Max() ?? 0;

    public static DateTimeOffset Created(JsonObject pod) =>
        KubeTime.Parse(pod["metadata"].Str("creationTimestamp")) ?? DateTimeOffset.MinValue;

    private static JsonObject? ReadyCondition(JsonObject pod) =>
        (pod["status"]?["conditions"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(c => c.Str("type") == "Ready");
}
