namespace WsPool.Operator.Runtime;

/// <summary>What a reconcile asks of the queue next (KubeOps/controller-runtime style).</summary>
public readonly record struct ReconcileResult(TimeSpan? RequeueAfter = null)
{
    public static ReconcileResult Done => default;

    public static ReconcileResult After(TimeSpan delay) => new(delay);
}

/// <summary>
/// Brings one object's world in line with its spec. Level-triggered: it reads the current state (from caches) and
/// acts on it, so calling it again with nothing changed does nothing. Throwing means "retry with backoff".
/// </summary>
public interface IReconciler
{
    Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken cancellationToken);
}

/// <summary>What a controller reports per reconcile (metrics live in the host).</summary>
public interface IControllerMetrics
{
    void Reconciled(string controller, TimeSpan duration, bool failed);
}
