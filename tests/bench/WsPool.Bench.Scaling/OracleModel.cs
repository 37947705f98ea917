namespace WsPool.Bench.Scaling;

/// <summary>
/// Perfect foresight of demand: at every second exactly ceil(demand / target) pods are ready (within [min, max]),
/// each created one start-up time before it is needed and removed the moment it is not (emptiest first). It does
/// not foresee crashes. Its pod-seconds are the floor the others are compared with.
/// </summary>
public sealed class OracleModel(PoolModel pool, Trace trace) : IScalingModel
{
    public string Name => "oracle";
    public RemovalOrder Removal => RemovalOrder.EmptiestFirst;

    public int Decide(Observation o)
    {
        var most = 0;
        for (var u = o.Time; u <= o.Time + pool.StartupSeconds; u++)
            most = Math.Max(most, Needed(u));
        return most;
    }

    private int Needed(int t)
    {
        var demand = trace.Demand(Math.Clamp(t, 0, trace.Seconds - 1));
        return Math.Clamp((int)((demand + pool.Target - 1) / pool.Target), pool.MinReplicas, pool.MaxReplicas);
    }
}
