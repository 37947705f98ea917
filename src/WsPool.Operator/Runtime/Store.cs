using System.Collections.Concurrent;
using k8s;
using k8s.Models;

namespace WsPool.Operator.Runtime;

/// <summary>A change the store applied, as an informer delivers it to handlers.</summary>
public enum StoreChange { Added, Updated, Deleted }

/// <summary>
/// The informer cache of one kind: the latest object per key. Reconcilers read it instead of the API server. Writers
/// may put the object an API write returned (<see cref="TryUpdateNewer"/>) so the next reconcile does not see its own
/// write as missing; a watch event carrying an older resourceVersion never replaces a newer object.
/// </summary>
public sealed class Store<T> where T : class, IKubernetesObject<V1ObjectMeta>
{
    private readonly ConcurrentDictionary<ObjectKey, T> _items = new();

    public int Count => _items.Count;

    public T? Get(ObjectKey key) => _items.GetValueOrDefault(key);

    public T? Get(string @namespace, string name) => Get(new ObjectKey(@namespace, name));

    public IReadOnlyCollection<T> List() => _items.Values.ToList();

    public IEnumerable<T> List(string @namespace) =>
        _items.Where(pair => pair.Key.Namespace == @namespace).Select(pair => pair.Value);

    public IReadOnlyCollection<ObjectKey> Keys() => _items.Keys.ToList();

    /// <summary>Inserts or replaces the object unless the cached one is newer; returns what changed, or null.</summary>
    public StoreChange? Upsert(T obj, out T? previous)
    {
        Trim(obj);
        var key = ObjectKey.Of(obj);
        while (true)
        {
            if (!_items.TryGetValue(key, out previous))
            {
                if (_items.TryAdd(key, obj)) return StoreChange.Added;
                continue;
            }
            if (IsOlder(obj, previous)) return null;
            if (_items.TryUpdate(key, obj, previous)) return StoreChange.Updated;
        }
    }

    /// <summary>Puts an object returned by an API write if it is newer than what the cache holds.</summary>
    public bool TryUpdateNewer(T obj) => Upsert(obj, out _) is not null;

    public bool Remove(ObjectKey key, out T? removed) => _items.TryRemove(key, out removed);

    /// <summary>
    /// Replaces the whole content with a fresh list (a relist) and reports each difference, so objects deleted while
    /// the watch was down are delivered as deletions and nothing is lost across a reconnect.
    /// </summary>
    /// <param name="fresh">Everything the list returned.</param>
    /// <param name="scope">The namespace the list covered, or null for all: objects elsewhere are left alone.</param>
    public List<(StoreChange Change, T Object, T? Previous)> Replace(IEnumerable<T> fresh, string? scope = null)
    {
        var changes = new List<(StoreChange, T, T?)>();
        var seen = new HashSet<ObjectKey>();
        foreach (var obj in fresh)
        {
            Trim(obj);
            var key = ObjectKey.Of(obj);
            seen.Add(key);
            _items.TryGetValue(key, out var previous);
            _items[key] = obj;
            if (previous is null) changes.Add((StoreChange.Added, obj, null));
            else if (previous.Metadata.ResourceVersion != obj.Metadata.ResourceVersion)
                changes.Add((StoreChange.Updated, obj, previous));
        }
        foreach (var key in _items.Keys)
        {
            if ((scope is null || key.Namespace == scope) && !seen.Contains(key) && _items.TryRemove(key, out var gone))
                changes.Add((StoreChange.Deleted, gone, null));
        }
        return changes;
    }

    /// <summary>
    /// managedFields are often the largest part of an object and nothing here reads them: drop them before caching
    /// (client-go operators do the same with a transform), which keeps the cache of thousands of objects small.
    /// </summary>
    private static void Trim(T obj) => obj.Metadata.ManagedFields = null;

    /// <summary>resourceVersions are opaque, but every API server we know issues integers; compare them when both parse.</summary>
    private static bool IsOlder(T candidate, T cached) =>
        long.TryParse(candidate.Metadata.ResourceVersion, out var a)
        && long.TryParse(cached.Metadata.ResourceVersion, out var b)
        && a < b;
}
