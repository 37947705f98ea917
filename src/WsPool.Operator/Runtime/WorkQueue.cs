namespace WsPool.Operator.Runtime;

/// <summary>Observations a work queue reports (metrics live in the host; the queue only calls these).</summary>
public interface IWorkQueueMetrics
{
    void Depth(int depth);
    /// <summary>How long an item waited between being added and being handed to a worker.</summary>
    void Waited(TimeSpan wait);
}

/// <summary>
/// A rate-limited, delaying work queue with client-go's guarantees: an item is queued at most once however often it
/// is added (the dirty set), an item being processed is never handed to a second worker (the processing set; an add
/// while processing is remembered and delivered after <see cref="Done"/>), delayed adds (<see cref="AddAfter"/>) keep
/// the earliest deadline, and retries go through a <see cref="IRateLimiter{T}"/>.
/// </summary>
public sealed class WorkQueue<T> : IDisposable where T : notnull
{
    private readonly IRateLimiter<T> _limiter;
    private readonly TimeProvider _clock;
    private readonly IWorkQueueMetrics? _metrics;
    private readonly Lock _lock = new();
    private readonly LinkedList<T> _queue = new();
    private readonly HashSet<T> _dirty = new();
    private readonly HashSet<T> _processing = new();
    private readonly Dictionary<T, long> _addedAt = new();
    private readonly Dictionary<T, DateTimeOffset> _waiting = new();
    private readonly PriorityQueue<T, DateTimeOffset> _waitingByTime = new();
    private readonly SemaphoreSlim _itemsSignal = new(0);
    private readonly CancellationTokenSource _shutdown = new();
    private ITimer? _timer;
    private DateTimeOffset? _timerDue;

    public WorkQueue(IRateLimiter<T> limiter, TimeProvider clock, IWorkQueueMetrics? metrics = null)
    {
        _limiter = limiter;
        _clock = clock;
        _metrics = metrics;
    }

    public bool ShuttingDown => _shutdown.IsCancellationRequested;

    /// <summary>Items ready to be handed out (not counting delayed items or items being processed).</summary>
    public int Count
    {
        get { lock (_lock) return _queue.Count; }
    }

    /// <summary>Items waiting for their delay to pass.</summary>
    public int DelayedCount
    {
        get { lock (_lock) return _waiting.Count; }
    }

    public void Add(T item)
    {
        lock (_lock) AddLocked(item);
    }

    private void AddLocked(T item)
    {
        if (ShuttingDown || !_dirty.Add(item)) return;
        _addedAt[item] = _clock.GetTimestamp();
        if (_processing.Contains(item)) return; // delivered again by Done
        _queue.AddLast(item);
        _metrics?.Depth(_queue.Count);
        _itemsSignal.Release();
    }

    /// <summary>Adds the item once the delay has passed; an earlier pending deadline for the same item wins.</summary>
    public void AddAfter(T item, TimeSpan delay)
    {
        if (delay <= TimeSpan.Zero)
        {
            Add(item);
            return;
        }
        lock (_lock)
        {
            if (ShuttingDown) return;
            var due = _clock.GetUtcNow() + delay;
            if (_waiting.TryGetValue(item, out var existing) && existing <= due) return;
            _waiting[item] = due;
            _waitingByTime.Enqueue(item, due);
            ArmTimerLocked();
        }
    }

    /// <summary>Adds the item after the rate limiter's delay: the retry path after a failure.</summary>
    public void AddRateLimited(T item) => AddAfter(item, _limiter.When(item));

    /// <summary>Clears the item's failure history: call it when the item was processed successfully.</summary>
    public void Forget(T item) => _limiter.Forget(item);

    public int NumRequeues(T item) => _limiter.NumRequeues(item);

    /// <summary>Waits for the next item and marks it as processing; returns false once the queue shuts down.</summary>
    public async ValueTask<(bool Ok, T Item)> GetAsync(CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _shutdown.Token);
        while (true)
        {
            lock (_lock)
            {
                if (_queue.First is { } first)
                {
                    var item = first.Value;
                    _queue.RemoveFirst();
                    _dirty.Remove(item);
                    _processing.Add(item);
                    if (_addedAt.Remove(item, out var addedAt)) _metrics?.Waited(_clock.GetElapsedTime(addedAt));
                    _metrics?.Depth(_queue.Count);
                    return (true, item);
                }
                if (ShuttingDown) return (false, default!);
            }
            try
            {
                await _itemsSignal.WaitAsync(linked.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return (false, default!);
            }
        }
    }

    /// <summary>Marks the item as processed; if it was added meanwhile, it is queued again now.</summary>
    public void Done(T item)
    {
        lock (_lock)
        {
            _processing.Remove(item);
            if (_dirty.Contains(item) && !ShuttingDown)
            {
                _queue.AddLast(item);
                _metrics?.Depth(_queue.Count);
                _itemsSignal.Release();
            }
        }
    }

    /// <summary>Stops handing out items; workers waiting in <see cref="GetAsync"/> return.</summary>
    public void ShutDown()
    {
        lock (_lock)
        {
            _shutdown.Cancel();
            _timer?.Dispose();
            _timer = null;
        }
    }

    private void ArmTimerLocked()
    {
        if (!_waitingByTime.TryPeek(out _, out var due)) return;
        if (_timerDue is { } armed && armed <= due && _timer is not null) return;
        _timerDue = due;
        var delay = due - _clock.GetUtcNow();
        if (delay < TimeSpan.Zero) delay = TimeSpan.Zero;
        if (_timer is null) _timer = _clock.CreateTimer(_ => OnTimer(), null, delay, Timeout.InfiniteTimeSpan);
        else _timer.Change(delay, Timeout.InfiniteTimeSpan);
    }

    private void OnTimer()
    {
        lock (_lock)
        {
            if (ShuttingDown) return;
            _timerDue = null;
            var now = _clock.GetUtcNow();
            while (_waitingByTime.TryPeek(out var item, out var due) && due <= now)
            {
                _waitingByTime.Dequeue();
                // Stale heap entries (superseded by an earlier deadline that already fired) are skipped.
                if (!_waiting.TryGetValue(item, out var current) || current != due) continue;
                _waiting.Remove(item);
                AddLocked(item);
            }
            ArmTimerLocked();
        }
    }

    public void Dispose()
    {
        ShutDown();
        _itemsSignal.Dispose();
        _shutdown.Dispose();
    }
}
