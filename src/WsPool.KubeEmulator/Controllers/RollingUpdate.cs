using System.Globalization;
using System.Text.Json.Nodes;
using WsPool.KubeEmulator.Json;

namespace WsPool.KubeEmulator.Controllers;

/// <summary>
/// The arithmetic of a Deployment's RollingUpdate strategy, as the Deployment documentation states it: at most
/// <c>replicas + maxSurge</c> pods exist (counted as the ReplicaSets' desired replicas) and at least
/// <c>replicas - maxUnavailable</c> are available. maxSurge and maxUnavailable are a number or a percentage of
/// replicas (surge rounds up, unavailable rounds down), 25% each by default. The new ReplicaSet grows into the room
/// the surge leaves; old ReplicaSets shrink by what availability can spare, their unavailable pods first (losing
/// them costs no availability), oldest ReplicaSet first.
/// </summary>
public static class RollingUpdate
{
    public const string DefaultMaxSurge = "25%";
    public const string DefaultMaxUnavailable = "25%";

    /// <summary>maxSurge and maxUnavailable as pod counts for <paramref name="replicas"/> desired pods.</summary>
    public static (int MaxSurge, int MaxUnavailable) Bounds(JsonNode? maxSurge, JsonNode? maxUnavailable, int replicas)
    {
        var surge = Count(maxSurge ?? DefaultMaxSurge, replicas, roundUp: true);
        var unavailable = Math.Min(Count(maxUnavailable ?? DefaultMaxUnavailable, replicas, roundUp: false), replicas);
        // The API refuses 0 and 0 as written; percentages of few replicas can still both come to 0, and a rollout
        // that may neither add nor remove a pod would never move, so one pod may be unavailable.
        if (surge == 0 && unavailable == 0 && replicas > 0) unavailable = 1;
        return (surge, unavailable);
    }

    /// <summary>An int-or-percent value as a pod count of <paramref name="replicas"/>; not a number or percentage: 0.</summary>
    public static int Count(JsonNode value, int replicas, bool roundUp)
    {
        if (value is JsonValue v && JsonUtil.AsLong(v) is { } number) return (int)number;
        var text = JsonUtil.ScalarText(value);
        if (text is null || !text.EndsWith('%')
            || !int.TryParse(text[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var percent))
            return 0;
        var scaled = (long)percent * replicas;
        return (int)(roundUp ? (scaled + 99) / 100 : scaled / 100);
    }

    /// <summary>Whether an int-or-percent value is zero whatever the replicas (0 or "0%").</summary>
    public static bool IsZero(JsonNode? value) => value is not null && Count(value, 100, roundUp: true) == 0 && IsWellFormed(value);

    /// <summary>A number, or a string of digits followed by %.</summary>
    public static bool IsWellFormed(JsonNode? value) =>
        value is JsonValue v && (JsonUtil.AsLong(v) is not null
            || (JsonUtil.ScalarText(v) is { Length: > 1 } text && text.EndsWith('%')
                && int.TryParse(text[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out _)));

    /// <summary>
    /// The replicas the new ReplicaSet should have now: down to <paramref name="replicas"/> when above it, else up
    /// by as much as the surge leaves room for. <paramref name="allReplicas"/> is the sum of every ReplicaSet's
    /// desired replicas, the new one's included.
    /// </summary>
    public static int NewReplicaSetReplicas(int replicas, int maxSurge, int allReplicas, int newReplicas)
    {
        if (newReplicas >= replicas) return replicas;
        var room = replicas + maxSurge - allReplicas;
        return room <= 0 ? newReplicas : newReplicas + Math.Min(room, replicas - newReplicas);
    }

    /// <summary>
    /// The replicas each old ReplicaSet (oldest first) should have now. First the unavailable pods of old
    /// ReplicaSets go, as far as the pods above the minimum (less the new ReplicaSet's unavailable ones) allow; then
    /// available old pods go as long as <c>replicas - maxUnavailable</c> stay available.
    /// </summary>
    public static int[] OldReplicaSetReplicas(int replicas, int maxUnavailable, int newReplicas, int newAvailable,
        IReadOnlyList<(int Replicas, int Available)> old)
    {
        var targets = old.Select(o => o.Replicas).ToArray();
        var minAvailable = replicas - maxUnavailable;
        var allReplicas = newReplicas + targets.Sum();
        var budget = allReplicas - minAvailable - Math.Max(0, newReplicas - newAvailable);
        if (budget <= 0) return targets;

        for (var i = 0; i < targets.Length && budget > 0; i++)
        {
            var unavailable = targets[i] - Math.Min(old[i].Available, targets[i]);
            if (unavailable <= 0) continue;
            var cut = Math.Min(budget, unavailable);
            targets[i] -= cut;
            budget -= cut;
        }

        var available = newAvailable + old.Select((o, i) => Math.Min(o.Available, targets[i])).Sum();
        var spare = available - minAvailable;
        for (var i = 0; i < targets.Length && spare > 0; i++)
        {
            var cut = Math.Min(spare, targets[i]);
            targets[i] -= cut;
            spare -= cut;
        }
        return targets;
    }
}
