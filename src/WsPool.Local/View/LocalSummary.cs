namespace WsPool.Local.View;

/// <summary>
/// The figures printed at the end of <c>make demo</c> (measured by the demo's load client and the operator's record):
/// how big it got, and whether any user noticed.
/// </summary>
public sealed record LocalSummary
{
    public long PeakConnections { get; init; }
    public int MinPods { get; init; }
    public int MaxPods { get; init; }

    /// <summary>Connection attempts the balancer or a pod refused.</summary>
    public long Refused { get; init; }

    /// <summary>Connections closed without a WebSocket close handshake (a pod or the balancer cut them).</summary>
    public long AbruptCloses { get; init; }

    public int BalancerReloads { get; init; }

    /// <summary>From the start of the connection surge to the autoscaler's first scale-up decision; null when none came.</summary>
    public TimeSpan? SurgeToDecision { get; init; }
}
