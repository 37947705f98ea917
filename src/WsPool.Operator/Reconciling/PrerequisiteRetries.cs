using WsPool.Operator.Runtime;

namespace WsPool.Operator.Reconciling;

/// <summary>
/// When a pool whose cluster prerequisite is missing looks again: per pool, exponential from <c>first</c> up to
/// <c>max</c> (the work queue's per-item backoff, with a floor of seconds instead of milliseconds, since a CRD is not
/// installed within milliseconds), reset once nothing is missing. The reconcile returns this as its requeue-after,
/// as a controller-runtime reconciler returns RequeueAfter for a condition it is waiting out rather than an error.
/// </summary>
public sealed class PrerequisiteRetries(TimeSpan first, TimeSpan max)
{
    private readonly ExponentialFailureRateLimiter<ObjectKey> _backoff = new(first, max);

    /// <summary>The delay before the pool's next look; each call doubles the next one, up to the maximum.</summary>
    public TimeSpan Next(ObjectKey pool) => _backoff.When(pool);

    /// <summary>Nothing is missing any more (or the pool is gone): the next wait starts from the first delay again.</summary>
    public void Reset(ObjectKey pool) => _backoff.Forget(pool);
}
