namespace WsPool.Core.Scaling;

public enum ScalingDirection
{
    None,
    Up,
    Down,
}

/// <summary>The numbers behind a decision, for status, events and tests.</summary>
public sealed record ScalingNumbers(
    long TotalConnections,
    int Needed,
    int Buffer,
    int RateBuffer,
    double ArrivalPerSecond,
    int Recommendation,
    int Stabilized);

/// <summary>
/// What the policy decided: the replicas wanted, a one-line human reason with its numbers, and the state to pass to
/// the next decision.
/// </summary>
public sealed record ScalingDecision(
    int CurrentReplicas,
    int DesiredReplicas,
    string Reason,
    ScalingNumbers? Numbers,
    ScalingState NextState)
{
    public ScalingDirection Direction =>
        DesiredReplicas > CurrentReplicas ? ScalingDirection.Up
        : DesiredReplicas < CurrentReplicas ? ScalingDirection.Down
        : ScalingDirection.None;
}
