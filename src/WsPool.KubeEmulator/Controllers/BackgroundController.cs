using System.Threading.Channels;
using WsPool.KubeEmulator.Storage;

namespace WsPool.KubeEmulator.Controllers;

/// <summary>
/// A controller fed from store commits: the commit hook (under the store lock) only filters and enqueues; one
/// worker handles items in order. <see cref="Pending"/> lets tests wait until the controller is idle.
/// </summary>
public abstract class BackgroundController<T> : IAsyncDisposable
{
    private readonly Channel<T> _queue = Channel.CreateUnbounded<T>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stop = new();
    private Task? _worker;
    private int _pending;

    public int Pending => Volatile.Read(ref _pending);

    protected void Enqueue(T item)
    {
        Interlocked.Increment(ref _pending);
        if (!_queue.Writer.TryWrite(item)) Interlocked.Decrement(ref _pending);
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
                }
            }
        }
        catch (OperationCanceledException) { }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _stop.CancelAsync();
        if (_worker is not null) await _worker;
        _stop.Dispose();
        GC.SuppressFinalize(this);
    }

    protected static bool Relevant(StoreChange change) => change.After is not null;
}
