namespace WsPool.Core.Api;

/// <summary>
/// The one rule that keeps a replica count within [minReplicas, maxReplicas], for the renderer (an autoscaler
/// decision written into the Deployment) and the scaling policy alike.
/// </summary>
public static class ReplicaBounds
{
    /// <summary>
    /// <paramref name="replicas"/> within [min, max]. A valid spec has min ≤ max; for one that does not (validation
    /// reports it) min wins rather than throwing.
    /// </summary>
    public static int Clamp(int replicas, int min, int max) => Math.Clamp(replicas, min, Math.Max(min, max));
}
