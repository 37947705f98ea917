using WsPool.KubeEmulator.Watch;

namespace WsPool.KubeEmulator.Storage;

/// <summary>Objects of one resource by namespace and name (sorted, as etcd returns keys), its watch history and watchers.</summary>
internal sealed class ResourceTable(int historyCapacity, long historyFloor)
{
    private readonly SortedDictionary<string, SortedDictionary<string, StoredObject>> _byNamespace = new(StringComparer.Ordinal);
    private readonly List<WatchSubscription> _watchers = [];

    public WatchHistory History { get; } = new(historyCapacity, historyFloor);

    public int Count { get; private set; }

    public StoredObject? Get(string ns, string name) =>
        _byNamespace.TryGetValue(ns, out var names) && names.TryGetValue(name, out var o) ? o : null;

    public IEnumerable<StoredObject> List(string? ns)
    {
        if (ns is not null) return _byNamespace.TryGetValue(ns, out var names) ? names.Values : [];
        return _byNamespace.Values.SelectMany(n => n.Values);
    }

    public void Set(StoredObject o)
    {
        if (!_byNamespace.TryGetValue(o.Namespace, out var names))
            _byNamespace[o.Namespace] = names = new SortedDictionary<string, StoredObject>(StringComparer.Ordinal);
        if (!names.ContainsKey(o.Name)) Count++;
        names[o.Name] = o;
    }

    public void Remove(string ns, string name)
    {
        if (_byNamespace.TryGetValue(ns, out var names) && names.Remove(name))
        {
            Count--;
            if (names.Count == 0) _byNamespace.Remove(ns);
        }
    }

    public void Publish(WatchEventRecord record)
    {
        History.Add(record);
        for (var i = _watchers.Count - 1; i >= 0; i--)
        {
            var w = _watchers[i];
            if (w.IsClosed) _watchers.RemoveAt(i);
            else w.Offer(record);
        }
    }

    public void AddWatcher(WatchSubscription w) => _watchers.Add(w);

    public void RemoveWatcher(WatchSubscription w) => _watchers.Remove(w);

    public int WatcherCount => _watchers.Count;
}
