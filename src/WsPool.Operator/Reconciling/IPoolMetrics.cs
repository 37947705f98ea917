namespace WsPool.Operator.Reconciling;

/// <summary>
/// Per-pool figures the reconciler reports each time it computes a pool's status, for dashboards and alerts that
/// should not need kube-state-metrics' custom-resource config. Forgotten when the pool is deleted, so a deleted pool
/// leaves no series behind.
/// </summary>
public interface IPoolMetrics
{
    /// <param name="connections">Live connections of the latest reading; null when unknown (scaling off, or the
    /// reading failed), which removes the series rather than report a stale or zero count.</param>
    void Observed(string ns, string pool, int desiredReplicas, int readyReplicas, long? connections);

    void Forget(string ns, string pool);
}
