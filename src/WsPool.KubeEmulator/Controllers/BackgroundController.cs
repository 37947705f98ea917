using System.Threading.Channels;
using WsPool.KubeEmulator.Storage;

namespace WsPool.KubeEmulator.Controllers;

/// <summary>
/// A controller fed from store commits: the commit hook (under the store lock) only filters and enqueues; one
/// worker handles items in order. <see cref="Pending"/> lets tests wait until the controller is idle.
/// </summary>
public abstract class BackgroundController<T> : IAsyncDisposable where T : notnull
{
    private readonly Channel<T> _queue = Channel.CreateUnbounded<T>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stop = new();
    private readonly ControllerActivity? _activity;
    private readonly Dictionary<T, Scheduled> _scheduled = new();
    private Task? _worker;
    private int _pending;
    private bool _disposed;

    private sealed record Scheduled(DateTimeOffset Due, ITimer Timer, object Token);

    protected BackgroundController(ControllerActivity? activity = null) => _activity = activity;

    public int Pending => Volatile.Read(ref _pending);

    protected void Enqueue(T item)
    {
        Interlocked.Increment(ref _pending);
        _activity?.Started();
        if (!_queue.Writer.TryWrite(item))
        {
            Interlocked.Decrement(ref _pending);
            _activity?.Finished();
        }
    }

    /// <summary>
    /// Enqueues <paramref name="item"/> once <paramref name="delay"/> has passed on <paramref name="time"/>: for
    /// what becomes true with time alone (minReadySeconds, a grace period, a progress deadline), which no commit
    /// announces. The earliest schedule of an item wins. Timers fire on the given clock, so a fake clock decides
    /// when; scheduled items are not <see cref="Pending"/>.
    /// </summary>
    protected void EnqueueAfter(T item, TimeSpan delay, TimeProvider time)
    {
        if (delay <= TimeSpan.Zero)
        {
            Enqueue(item);
            return;
        }
        var due = time.GetUtcNow() + delay;
        lock (_scheduled)
        {
            if (_disposed) return;
            if (_scheduled.TryGetValue(item, out var existing))
            {
                if (existing.Due <= due) return;
                existing.Timer.Dispose();
            }
            var token = new object();
            // The callback takes the same lock, so it cannot run before the entry below exists.
            var timer = time.CreateTimer(_ => Fire(item, token), null, delay, Timeout.InfiniteTimeSpan);
            _scheduled[item] = new Scheduled(due, timer, token);
        }
    }

    private void Fire(T item, object token)
    {
        lock (_scheduled)
        {
            if (!_scheduled.TryGetValue(item, out var entry) || entry.Token != token) return;
            _scheduled.Remove(item);
            entry.Timer.Dispose();
        }
        Enqueue(item);
    }

    public void Start() => _worker = Task.Run(RunAsync);

    protected abstract Task HandleAsync(T item, CancellationToken stopping);

    private async Task RunAsync()
    {
        try
        {
            await foreach (var item in _queue.Reader.ReadAllAsync(_stop.Token))
            {
                try
                {
                    await HandleAsync(item, _stop.Token);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // A controller keeps going; the next change retries (like a level-triggered controller).
                    System.Diagnostics.Debug.WriteLine($"{GetType().Name}: {e}");
                }
                finally
                {
                    Interlocked.Decrement(ref _pending);
                    _activity?.Finished();
                }
            }
        }
        catch (OperationCanceledException) { }
    }

    public async ValueTask DisposeAsync()
    {
        lock (_scheduled)
        {
            _disposed = true;
            foreach (var entry in _scheduled.Values) entry.Timer.Dispose();
            _scheduled.Clear();
        }
        _queue.Writer.TryComplete();
        await _stop.CancelAsync();
        if (_worker is not null) await _worker;
        _stop.Dispose();
        GC.SuppressFinalize(this);
    }

    protected static bool Relevant(StoreChange change) => change.After is not null;
}
