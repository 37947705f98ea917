using WsPool.Core.Api;
using WsPool.Core.Scaling;

namespace WsPool.Core.Rollouts;

/// <summary>
/// A connection-aware rollout, pure. The operator has taken the old revisions' ReplicaSets over from the
/// Deployment, which starts the new revision at full size. Then:
/// <list type="number">
/// <item><b>PreWarming</b>: until every pod of the new revision is ready, the Services keep selecting what they
/// selected, so no client is asked to move before there is room for it.</item>
/// <item><b>Switching</b>: the Services select the new revision only; old pods leave the endpoints and the
/// balancer, keeping their connections. The rollout waits until the balancer says it sends no new connection to an
/// old pod (the managed HAProxy's server states), or, where it cannot say, the balancer's routing settle time; so no
/// client moved later can land on an old pod. A balancer that keeps an old pod for four settle times is given up on,
/// and the message says so.</item>
/// <item><b>Draining</b>: old pods are asked to close connections (close code 1012, the shed contract), at most
/// the bound in any one-second window, the emptiest pods first so whole ReplicaSets empty early; a ReplicaSet whose
/// pods all hold none is retired. Each moved client reconnects once, through the balancer, onto the new revision;
/// a cookie naming an old pod finds it gone from the balancer and is re-pinned to a new pod.</item>
/// </list>
/// A template change mid-way only adds an old revision: the Services keep selecting the last revision that was
/// fully ready until the newest is, so no client is left on a revision that is neither old nor new.
/// </summary>
public static class RolloutPolicy
{
    public const string PreWarming = "PreWarming";
    public const string Switching = "Switching";
    public const string Draining = "Draining";

    /// <summary>How often a rollout in progress is looked at while it waits for pods to start.</summary>
    public static readonly TimeSpan PreWarmLook = TimeSpan.FromSeconds(2);

    /// <summary>
    /// The step of the reconcile that took the old revisions over: PreWarming, so that status records the rollout
    /// at once and an operator restarted before the next look still knows old ReplicaSets are the pool's to drain.
    /// </summary>
    public static RolloutStep Started(RolloutSettings settings, IReadOnlyList<string> oldReplicaSets, DateTime now) => new(
        null, [], [],
        new RolloutStatus { Phase = PreWarming, StartedAt = now, MaxReconnectsPerSecond = settings.MaxReconnectsPerSecond },
        RolloutPacing.Empty, PreWarmLook,
        $"pod template changed: old ReplicaSet(s) {string.Join(", ", oldReplicaSets)} taken over from the Deployment; the new revision starts in full before any client moves");

    public static RolloutStep Decide(RolloutSettings settings, RolloutObservation seen, RolloutStatus? previous,
        RolloutPacing pacing, DateTime now)
    {
        if (seen.Old.Count == 0)
            return new(null, [], [], null, RolloutPacing.Empty, null, "no old revision left");

        var pods = seen.Old.SelectMany(o => o.Pods).ToList();
        var probes = pods.Where(p => p.Connections is null).Select(p => new ShedRequest(p.Name, 0)).ToList();
        var status = new RolloutStatus
        {
            StartedAt = previous?.StartedAt ?? now,
            Revision = seen.NewRevision,
            OldPods = pods.Count,
            OldConnections = pods.All(p => p.Connections is not null) ? pods.Sum(p => (long)p.Connections!.Value) : null,
            NewConnections = seen.NewConnections,
            MaxReconnectsPerSecond = settings.MaxReconnectsPerSecond,
            ReconnectsPerSecond = pacing.RatePerSecond(now),
        };

        if (seen.NewDesiredPods == 0)
        {
            // Nowhere to move clients to: the old revisions go as a scale-down would take them, each pod draining
            // its own clients on SIGTERM (spec.drain).
            status.Phase = Draining;
            return new(null, [], seen.Old.Select(o => o.ReplicaSet).ToList(), status, pacing, RolloutPacing.BoundWindow,
                "the pool is scaled to zero: old revisions are removed and their pods drain themselves");
        }

        if (seen.NewRevision is null || !seen.NewRevisionReady)
        {
            status.Phase = PreWarming;
            status.ServingRevision = seen.ServingRevision;
            return new(seen.ServingRevision, probes, [], status, pacing, PreWarmLook,
                $"starting the new revision: {seen.NewReadyPods}/{seen.NewDesiredPods} pods ready; old pods keep serving");
        }

        var switchedAt = previous?.Revision == seen.NewRevision && seen.ServingRevision == seen.NewRevision
            ? previous.SwitchedAt ?? now
            : now;
        status.SwitchedAt = switchedAt;
        status.ServingRevision = seen.NewRevision;
        if (Waiting(settings, seen, switchedAt, now) is { } waiting)
        {
            status.Phase = Switching;
            return new(seen.NewRevision, probes, [], status, pacing, RolloutPacing.BoundWindow,
                $"the backend Services select revision {seen.NewRevision} only; {waiting}");
        }

        status.Phase = Draining;
        var retired = seen.Old.Where(o => o.Pods.All(p => p.Connections == 0)).Select(o => o.ReplicaSet).ToList();
        var allowed = settings.MaxReconnectsPerSecond - pacing.MovedWithin(RolloutPacing.BoundWindow, now);
        var moves = new List<ShedRequest>();
        foreach (var old in seen.Old)
            foreach (var pod in old.Pods.Where(p => p.Connections > 0).OrderBy(p => p.Connections).ThenBy(p => p.Name, StringComparer.Ordinal))
            {
                if (allowed <= 0) break;
                var count = Math.Min(pod.Connections!.Value, allowed);
                moves.Add(new ShedRequest(pod.Name, count));
                allowed -= count;
            }
        var moved = moves.Sum(m => m.Count);
        var next = pacing.Add(now, moved);
        status.ReconnectsPerSecond = next.RatePerSecond(now);
        if (status.OldConnections is { } before) status.OldConnections = before - moved;
        // Look again when the oldest move leaves the one-second window, which frees budget.
        var oldest = next.Moved.Where(m => m.At > now - RolloutPacing.BoundWindow).Select(m => (DateTime?)m.At).Min();
        var look = oldest is { } at ? Max(at + RolloutPacing.BoundWindow - now, TimeSpan.FromMilliseconds(100)) : RolloutPacing.BoundWindow;
        return new(seen.NewRevision, [.. probes, .. moves], retired, status, next, look,
            $"moving {moved} client(s) off old pods (bound {settings.MaxReconnectsPerSecond}/s); {status.OldPods} old pod(s) left"
            + (seen.OldPodsStillRouted > 0 ? $"; the balancer still sends new connections to {seen.OldPodsStillRouted} old pod(s) {ScalingPolicy.Seconds(settings.RoutingSettleTime * 4)} after the switch: moving anyway" : "")
            + (retired.Count > 0 ? $"; retiring {string.Join(", ", retired)}" : ""));
    }

    /// <summary>Why clients cannot be moved yet after the switch, or null when the balancer has followed.</summary>
    private static string? Waiting(RolloutSettings settings, RolloutObservation seen, DateTime switchedAt, DateTime now)
    {
        var since = now - switchedAt;
        if (seen.OldPodsStillRouted is { } routed)
        {
            if (routed == 0) return null;
            if (since < settings.RoutingSettleTime * 4)
                return $"the balancer still sends new connections to {routed} old pod(s) ({ScalingPolicy.Seconds(since)} since the switch)";
            return null;
        }
        return since < settings.RoutingSettleTime
            ? $"waiting {ScalingPolicy.Seconds(settings.RoutingSettleTime)} for the balancer to stop sending new connections to old pods"
            : null;
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
