using System.Text.Json.Nodes;
using WsPool.KubeEmulator.Json;
using WsPool.KubeEmulator.Resources;
using WsPool.KubeEmulator.Watch;

namespace WsPool.KubeEmulator.Storage;

/// <summary>What changed in one committed write, for controllers (GC, namespace, deployment simulation).</summary>
public readonly record struct StoreChange(WatchEventType Type, StoredObject? Before, StoredObject After);

/// <summary>
/// The object storage: objects per resource, namespace and name, one global monotonically increasing
/// resourceVersion (like etcd's revision), indexes by uid and by owner uid, and per-resource watch history and
/// watchers. All mutation happens under <see cref="Sync"/>, which the registry holds for a whole read-modify-write,
/// so optimistic concurrency and event order are exact.
/// </summary>
public sealed class ObjectStore
{
    private readonly Dictionary<GroupResource, ResourceTable> _tables = new();
    private readonly Dictionary<string, StoredObject> _byUid = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> _dependents = new(StringComparer.Ordinal);
    private readonly int _historyCapacity;
    private long _resourceVersion;

    public ObjectStore(int watchHistoryCapacity, long initialResourceVersion = 1000)
    {
        _historyCapacity = watchHistoryCapacity;
        _resourceVersion = initialResourceVersion;
    }

    /// <summary>The lock every read-modify-write holds.</summary>
    public Lock Sync { get; } = new();

    /// <summary>Observers called under the lock after each commit; they must only enqueue work.</summary>
    public event Action<StoreChange>? Committed;

    public long ResourceVersion
    {
        get { lock (Sync) return _resourceVersion; }
    }

    internal long CurrentResourceVersionUnlocked => _resourceVersion;

    internal ResourceTable Table(GroupResource gr)
    {
        if (!_tables.TryGetValue(gr, out var table))
        {
            table = new ResourceTable(_historyCapacity, 0); // no events yet: every version is watchable
            _tables[gr] = table;
        }
        return table;
    }

    public StoredObject? Get(GroupResource gr, string? ns, string name)
    {
        lock (Sync) return GetUnlocked(gr, ns, name);
    }

    internal StoredObject? GetUnlocked(GroupResource gr, string? ns, string name) =>
        _tables.TryGetValue(gr, out var t) ? t.Get(ns ?? "", name) : null;

    internal IEnumerable<StoredObject> ListUnlocked(GroupResource gr, string? ns) =>
        _tables.TryGetValue(gr, out var t) ? t.List(ns) : [];

    public IReadOnlyList<StoredObject> List(GroupResource gr, string? ns = null)
    {
        lock (Sync) return ListUnlocked(gr, ns).ToList();
    }

    internal StoredObject? ByUidUnlocked(string uid) => _byUid.GetValueOrDefault(uid);

    public bool Exists(string uid)
    {
        lock (Sync) return _byUid.ContainsKey(uid);
    }

    /// <summary>Objects whose ownerReferences name <paramref name="ownerUid"/>.</summary>
    internal IReadOnlyList<StoredObject> DependentsUnlocked(string ownerUid) =>
        _dependents.TryGetValue(ownerUid, out var set) ? set.Select(u => _byUid[u]).ToList() : [];

    internal IEnumerable<(GroupResource Resource, StoredObject Object)> InNamespaceUnlocked(string ns) =>
        _tables.SelectMany(t => t.Value.List(ns).Select(o => (t.Key, o)));

    internal int CountUnlocked() => _byUid.Count;

    /// <summary>Stores a new version of an object: assigns the next resourceVersion and emits ADDED or MODIFIED.</summary>
    internal StoredObject Put(ResourceType type, JsonObject obj, StoredObject? previous)
    {
        var rv = ++_resourceVersion;
        obj.Metadata()["resourceVersion"] = rv.ToString();
        var stored = new StoredObject(type, obj, rv);
        var table = Table(type.GroupResource);
        table.Set(stored);
        if (previous is not null) Unindex(previous);
        Index(stored);
        var kind = previous is null ? WatchEventType.Added : WatchEventType.Modified;
        table.Publish(new WatchEventRecord(kind, stored, previous));
        Committed?.Invoke(new StoreChange(kind, previous, stored));
        return stored;
    }

    /// <summary>Removes an object; the DELETED event carries its last state at a new resourceVersion.</summary>
    internal StoredObject Remove(StoredObject existing, JsonObject? finalState = null)
    {
        var rv = ++_resourceVersion;
        var last = finalState ?? existing.ToJsonObject();
        last.Metadata()["resourceVersion"] = rv.ToString();
        var final = new StoredObject(existing.Type, last, rv);
        var table = Table(existing.Type.GroupResource);
        table.Remove(existing.Namespace, existing.Name);
        Unindex(existing);
        table.Publish(new WatchEventRecord(WatchEventType.Deleted, final, existing));
        Committed?.Invoke(new StoreChange(WatchEventType.Deleted, existing, final));
        return final;
    }

    /// <summary>Forgets watch history of every resource, so any earlier resourceVersion is "too old" (410).</summary>
    public void CompactHistory()
    {
        lock (Sync)
            foreach (var t in _tables.Values) t.History.Compact(_resourceVersion);
    }

    private void Index(StoredObject o)
    {
        _byUid[o.Uid] = o;
        foreach (var owner in o.OwnerUids)
        {
            if (!_dependents.TryGetValue(owner, out var set)) _dependents[owner] = set = new HashSet<string>(StringComparer.Ordinal);
            set.Add(o.Uid);
        }
    }

    private void Unindex(StoredObject o)
    {
        _byUid.Remove(o.Uid);
        foreach (var owner in o.OwnerUids)
        {
            if (_dependents.TryGetValue(owner, out var set) && set.Remove(o.Uid) && set.Count == 0) _dependents.Remove(owner);
        }
    }
}
