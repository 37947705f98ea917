namespace WsPool.Operator.Runtime;

/// <summary>Decides how long an item waits before it is retried (client-go's workqueue.RateLimiter).</summary>
public interface IRateLimiter<in T>
{
    /// <summary>The delay before the item's next attempt; each call counts as one more failure.</summary>
    TimeSpan When(T item);

    /// <summary>Stops tracking the item: its next failure starts again from the base delay.</summary>
    void Forget(T item);

    /// <summary>How many times the item has been retried since it was last forgotten.</summary>
    int NumRequeues(T item);
}

/// <summary>Per-item exponential backoff: base × 2^failures, capped (5 ms → 1000 s by default, as in client-go).</summary>
public sealed class ExponentialFailureRateLimiter<T>(TimeSpan baseDelay, TimeSpan maxDelay) : IRateLimiter<T>
    where T : notnull
{
    private readonly Dictionary<T, int> _failures = new();
    private readonly Lock _lock = new();

    public TimeSpan When(T item)
    {
        lock (_lock)
        {
            var exponent = _failures.GetValueOrDefault(item);
            _failures[item] = exponent + 1;
            // 2^exponent overflows a double only far beyond the cap, but stop early to stay exact.
            if (exponent >= 62) return maxDelay;
            var ticks = baseDelay.Ticks * Math.Pow(2, exponent);
            return ticks >= maxDelay.Ticks ? maxDelay : TimeSpan.FromTicks((long)ticks);
        }
    }

    public void Forget(T item)
    {
        lock (_lock) _failures.Remove(item);
    }

    public int NumRequeues(T item)
    {
        lock (_lock) return _failures.GetValueOrDefault(item);
    }
}

/// <summary>
/// An overall token bucket (golang.org/x/time/rate semantics): tokens refill at <c>qps</c> up to <c>burst</c>; each
/// call reserves one token and returns how long until that token exists. It bounds the retry rate over all items.
/// </summary>
public sealed class TokenBucketRateLimiter<T> : IRateLimiter<T>
{
    private readonly double _qps;
    private readonly double _burst;
    private readonly TimeProvider _clock;
    private readonly Lock _lock = new();
    private double _tokens;
    private long _last;

    public TokenBucketRateLimiter(double qps, int burst, TimeProvider clock)
    {
        if (qps <= 0) throw new ArgumentOutOfRangeException(nameof(qps), "qps must be positive");
        if (burst < 1) throw new ArgumentOutOfRangeException(nameof(burst), "burst must be at least 1");
        _qps = qps;
        _burst = burst;
        _clock = clock;
        _tokens = burst;
        _last = clock.GetTimestamp();
    }

    public TimeSpan When(T item)
    {
        lock (_lock)
        {
            var now = _clock.GetTimestamp();
            var elapsed = _clock.GetElapsedTime(_last, now).TotalSeconds;
            _last = now;
            _tokens = Math.Min(_burst, _tokens + elapsed * _qps) - 1;
            return _tokens >= 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(-_tokens / _qps);
        }
    }

    public void Forget(T item) { }

    public int NumRequeues(T item) => 0;
}

/// <summary>The longest delay of several limiters: per-item backoff under an overall rate limit.</summary>
public sealed class MaxOfRateLimiter<T>(params IRateLimiter<T>[] limiters) : IRateLimiter<T> where T : notnull
{
    public TimeSpan When(T item)
    {
        var longest = TimeSpan.Zero;
        foreach (var limiter in limiters)
        {
            var delay = limiter.When(item);
            if (delay > longest) longest = delay;
        }
        return longest;
    }

    public void Forget(T item)
    {
        foreach (var limiter in limiters) limiter.Forget(item);
    }

    public int NumRequeues(T item) => limiters.Max(l => l.NumRequeues(item));

    /// <summary>client-go's DefaultControllerRateLimiter: 5 ms → 1000 s per item, 10 qps with a burst of 100 overall.</summary>
    public static MaxOfRateLimiter<T> ControllerDefault(TimeProvider clock) => new(
        new ExponentialFailureRateLimiter<T>(TimeSpan.FromMilliseconds(5), TimeSpan.FromSeconds(1000)),
        new TokenBucketRateLimiter<T>(10, 100, clock));
}
