namespace WsPool.Core.Rollouts;

/// <summary>A pod of an old revision, with the connections it last said it holds (null: not asked yet).</summary>
public sealed record OldPod(string Name, int? Connections);

/// <summary>An old revision the operator took over from the Deployment: its ReplicaSet and pods.</summary>
public sealed record OldRevision(string ReplicaSet, string Revision, IReadOnlyList<OldPod> Pods);

/// <summary>
/// What a connection-aware rollout is looked at with, read from the cluster each time: the Deployment's current
/// revision and whether all of it is ready, the old revisions the pool holds, and which revision the backend
/// Services select now (null: every pod), and — for a balancer whose server states the operator reads (the managed
/// HAProxy) — how many old pods it may still send new connections to (null: it cannot tell).
/// </summary>
public sealed record RolloutObservation(
    string? NewRevision,
    bool NewRevisionReady,
    int NewReadyPods,
    int NewDesiredPods,
    IReadOnlyList<OldRevision> Old,
    string? ServingRevision,
    long? NewConnections,
    int? OldPodsStillRouted = null);
