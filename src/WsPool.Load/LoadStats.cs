using System.Collections.Concurrent;

namespace WsPool.Load;

/// <summary>Counters every connection of a run updates concurrently.</summary>
internal sealed class LoadStats
{
    private int _open;
    private int _opened;
    private int _reconnects;
    private int _firstAttempts;
    private int _firstSuccesses;
    private long _sent;
    private long _received;

    public ConcurrentDictionary<string, int> Failed { get; } = new();
    public ConcurrentDictionary<string, int> ClosedEarly { get; } = new();
    public ConcurrentDictionary<string, int> Replicas { get; } = new();
    public ConcurrentDictionary<string, int> OpenPerReplica { get; } = new();
    public ConcurrentQueue<double> EchoMs { get; } = new();
    public ConcurrentQueue<double> HandshakeMs { get; } = new();

    public int Open => Volatile.Read(ref _open);
    public int Opened => Volatile.Read(ref _opened);
    public int Reconnects => Volatile.Read(ref _reconnects);
    public int FirstAttempts => Volatile.Read(ref _firstAttempts);
    public int FirstSuccesses => Volatile.Read(ref _firstSuccesses);
    public long Sent => Interlocked.Read(ref _sent);
    public long Received => Interlocked.Read(ref _received);

    public void SessionOpened()
    {
        Interlocked.Increment(ref _opened);
        Interlocked.Increment(ref _open);
    }

    public void SessionEnded() => Interlocked.Decrement(ref _open);
    public void Reconnected() => Interlocked.Increment(ref _reconnects);
    public void MessageSent() => Interlocked.Increment(ref _sent);
    public void MessageReceived() => Interlocked.Increment(ref _received);

    /// <summary>Counts a connection's first attempt; returns how many have been made.</summary>
    public int FirstAttemptMade(bool succeeded)
    {
        if (succeeded) Interlocked.Increment(ref _firstSuccesses);
        return Interlocked.Increment(ref _firstAttempts);
    }

    public static void Add(ConcurrentDictionary<string, int> counts, string key, int by = 1) =>
        counts.AddOrUpdate(key, by, (_, value) => value + by);

    public static IReadOnlyDictionary<string, int> Sorted(ConcurrentDictionary<string, int> counts) =>
        new SortedDictionary<string, int>(counts.Where(p => p.Value != 0).ToDictionary(p => p.Key, p => p.Value), StringComparer.Ordinal);
}
