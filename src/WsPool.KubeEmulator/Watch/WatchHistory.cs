namespace WsPool.KubeEmulator.Watch;

/// <summary>
/// A bounded window of one resource's recent events (the API server's watch cache). A watch may start from any
/// resourceVersion at or after <see cref="Floor"/>; an older one is "too old" and answered with 410.
/// </summary>
internal sealed class WatchHistory(int capacity, long floor)
{
    private readonly WatchEventRecord[] _ring = new WatchEventRecord[Math.Max(1, capacity)];
    private int _start;
    private int _count;

    /// <summary>Every event with a resourceVersion above this is retained.</summary>
    public long Floor { get; private set; } = floor;

    public void Add(WatchEventRecord e)
    {
        if (_count == _ring.Length)
        {
            Floor = _ring[_start].ResourceVersion;
            _ring[_start] = e;
            _start = (_start + 1) % _ring.Length;
        }
        else
        {
            _ring[(_start + _count) % _ring.Length] = e;
            _count++;
        }
    }

    /// <summary>Events after <paramref name="resourceVersion"/>, or null when that version has left the window.</summary>
    public List<WatchEventRecord>? After(long resourceVersion)
    {
        if (resourceVersion < Floor) return null;
        // Binary search for the first event with a higher resourceVersion (versions increase along the ring).
        int lo = 0, hi = _count;
        while (lo < hi)
        {
            var mid = (lo + hi) / 2;
            if (At(mid).ResourceVersion <= resourceVersion) lo = mid + 1; else hi = mid;
        }
        var result = new List<WatchEventRecord>(_count - lo);
        for (var i = lo; i < _count; i++) result.Add(At(i));
        return result;
    }

    /// <summary>Drops everything: only versions at or after <paramref name="current"/> stay watchable.</summary>
    public void Compact(long current)
    {
        Array.Clear(_ring);
        _start = 0;
        _count = 0;
        Floor = current;
    }

    private WatchEventRecord At(int i) => _ring[(_start + i) % _ring.Length];
}
