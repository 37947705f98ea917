using WsPool.Core.Api;
using WsPool.Core.Scaling;

namespace WsPool.Core.Rollouts;

/// <summary>
/// What a connection-aware rollout does now: the revision the backend Services select (null: every pod), the
/// connections to close on old pods (a count of 0 only asks a pod how many it holds), the old ReplicaSets that are
/// empty and can go, the status to show (null when no rollout is in progress), and when to look again.
/// </summary>
public sealed record RolloutStep(
    string? ServingRevision,
    IReadOnlyList<ShedRequest> Moves,
    IReadOnlyList<string> RetiredReplicaSets,
    RolloutStatus? Status,
    RolloutPacing Pacing,
    TimeSpan? NextLook,
    string Message)
{
    public bool InProgress => Status is not null;
}
