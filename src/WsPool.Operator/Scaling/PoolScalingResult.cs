using WsPool.Core.Api;
using WsPool.Core.Scaling;
using WsPool.Core.Status;

namespace WsPool.Operator.Scaling;

/// <summary>
/// Ask a pod to close <see cref="Count"/> connections: POST http://Address:Port/shed?count=Count. Port is the pool's
/// spec.scaling.rebalance.adminPort resolved on this pod; null (with <see cref="PortProblem"/>) when the pod declares
/// no container port of that name.
/// </summary>
public sealed record ShedTarget(string Pod, string Address, int? Port, int Count, string? PortProblem = null);

/// <summary>An Event to record on the pool (type Normal or Warning, reason CamelCase, a note with the numbers).</summary>
public sealed record ScalingEvent(string Type, string Reason, string Action, string Note);

/// <summary>The value of the pool's <c>Scaling</c> condition.</summary>
public sealed record ScalingConditionValue(bool Status, string Reason, string Message);

/// <summary>
/// Everything one poll decided for a pool, for the reconciler to apply: the Deployment's replicas; the
/// <c>controller.kubernetes.io/pod-deletion-cost</c> annotations to set right before lowering them (only on a
/// scale-down); the shed requests to send; the status fields (Connections is null when the reading failed), condition
/// and events. Nothing here has been written.
/// </summary>
public sealed record PoolScalingResult(
    int CurrentReplicas,
    int DesiredReplicas,
    ScalingDecision Decision,
    RebalanceDecision Rebalance,
    IReadOnlyDictionary<string, string> DeletionCosts,
    IReadOnlyList<ShedTarget> Shed,
    ConnectionsStatus? Connections,
    ScalingConditionValue Condition,
    IReadOnlyList<ScalingEvent> Events,
    IReadOnlyDictionary<string, string> ScrapeFailures,
    TimeSpan NextPoll)
{
    public const string DeletionCostAnnotation = "controller.kubernetes.io/pod-deletion-cost";
    public bool ScalesDown => DesiredReplicas < CurrentReplicas;

    /// <summary>What status says of this poll.</summary>
    public ScalingReadout Readout => new(Connections, DesiredReplicas != CurrentReplicas, Condition.Status, Condition.Reason, Condition.Message);
}
