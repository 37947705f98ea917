using System.Collections.Concurrent;

namespace WsPool.KubeEmulator.Recording;

/// <summary>The requests the emulator has answered, in completion order. Thread-safe; snapshot with <see cref="All"/>.</summary>
public sealed class RequestLog
{
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private long _total;

    /// <summary>Stop keeping entries once this many are held (the counter keeps counting).</summary>
    public int Capacity { get; set; } = 1_000_000;

    internal void Add(RecordedRequest request)
    {
        Interlocked.Increment(ref _total);
        if (_requests.Count < Capacity) _requests.Enqueue(request);
    }

    public IReadOnlyList<RecordedRequest> All => _requests.ToArray();

    /// <summary>Requests answered since start or the last <see cref="Clear"/>.</summary>
    public long Total => Interlocked.Read(ref _total);

    public IReadOnlyList<RecordedRequest> Where(Func<RecordedRequest, bool> predicate) => _requests.Where(predicate).ToList();

    public IReadOnlyList<RecordedRequest> Writes => Where(r => r.IsWrite);

    public int Count(Func<RecordedRequest, bool> predicate) => _requests.Count(predicate);

    public void Clear()
    {
        _requests.Clear();
        Interlocked.Exchange(ref _total, 0);
    }
}
