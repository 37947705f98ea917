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
/// Objects are also indexed by one key (by default their controller's UID), so "what does this pool own" costs the
/// pool's own objects rather than a scan of every cached object (client-go's indexers serve the same purpose).
/// Reads are lock-free; writes take one lock so the item map and the index always agree.
/// </summary>
/// <param name="indexKey">The index's key of an object (null: not indexed); defaults to <see cref="ControllerUid"/>.</param>
/// <param name="admit">
/// What of an incoming object is cached (client-go's transform): the same instance trimmed, or a smaller copy.
/// Defaults to <see cref="WithoutManagedFields"/>.
/// </param>
public sealed class Store<T>(Func<T, string?>? indexKey = null, Func<T, T>? admit = null)
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    private readonly ConcurrentDictionary<ObjectKey, T> _items = new();
    private readonly Func<T, string?> _indexKey = indexKey ?? ControllerUid;
    private readonly Func<T, T> _admit = admit ?? WithoutManagedFields;
    private readonly Dictionary<string, HashSet<ObjectKey>> _index = new(StringComparer.Ordinal);
    private readonly Lock _write = new();

    public int Count => _items.Count;

    /// <summary>What the store keeps of an incoming object (the admission it was built with).</summary>
    public T Admit(T obj) => _admit(obj);

    public T? Get(ObjectKey key) => _items.GetValueOrDefault(key);

    public T? Get(string @namespace, string name) => Get(new ObjectKey(@namespace, name));

    public IReadOnlyCollection<T> List() => _items.Values.ToList();

    public IEnumerable<T> List(string @namespace) =>
        _items.Where(pair => pair.Key.Namespace == @namespace).Select(pair => pair.Value);

    public IReadOnlyCollection<ObjectKey> Keys() => _items.Keys.ToList();

    /// <summary>Cached objects whose index key is <paramref name="value"/> (by default: whose controller has this UID).</summary>
    public IReadOnlyList<T> Indexed(string? value)
    {
        if (string.IsNullOrEmpty(value)) return [];
        lock (_write)
        {
            if (!_index.TryGetValue(value, out var keys)) return [];
            var owned = new List<T>(keys.Count);
            foreach (var key in keys)
                if (_items.TryGetValue(key, out var obj)) owned.Add(obj);
            return owned;
        }
    }

    /// <summary>Inserts or replaces the object unless the cached one is newer; returns what changed, or null.</summary>
    public StoreChange? Upsert(T obj, out T? previous)
    {
        var key = ObjectKey.Of(obj);
        // Admission can cost (a compact copy, a digest): skip it for a version the store would not take anyway.
        if (_items.TryGetValue(key, out previous) && IsNotNewer(obj, previous)) return null;
        obj = _admit(obj);
        lock (_write)
        {
            if (!_items.TryGetValue(key, out previous))
            {
                Put(key, obj, null);
                return StoreChange.Added;
            }
            if (IsNotNewer(obj, previous)) return null;
            Put(key, obj, previous);
            return StoreChange.Updated;
        }
    }

    /// <summary>
    /// An older version, or the same one again: nothing new. The same version is typically the watch echoing an object
    /// this operator wrote and already cached from the write's response; delivering it would only queue a reconcile
    /// that finds no work.
    /// </summary>
    private static bool IsNotNewer(T candidate, T cached) => IsOlder(candidate, cached) || IsSameVersion(candidate, cached);

    /// <summary>Puts an object returned by an API write if it is newer than what the cache holds.</summary>
    public bool TryUpdateNewer(T obj) => Upsert(obj, out _) is not null;

    public bool Remove(ObjectKey key, out T? removed)
    {
        lock (_write)
        {
            if (!_items.TryRemove(key, out removed)) return false;
            Unindex(key, removed);
            return true;
        }
    }

    /// <summary>
    /// Replaces the whole content with a fresh list (a relist) and reports each difference, so objects deleted while
    /// the watch was down are delivered as deletions and nothing is lost across a reconnect.
    /// </summary>
    /// <param name="fresh">Everything the list returned.</param>
    /// <param name="scope">The namespace the list covered, or null for all: objects elsewhere are left alone.</param>
    /// <param name="admitted">The objects already went through <see cref="Admit"/> (as a paginated list does).</param>
    public List<(StoreChange Change, T Object, T? Previous)> Replace(IEnumerable<T> fresh, string? scope = null,
        bool admitted = false)
    {
        var changes = new List<(StoreChange, T, T?)>();
        var seen = new HashSet<ObjectKey>();
        lock (_write)
        {
            foreach (var incoming in fresh)
            {
                var obj = admitted ? incoming : _admit(incoming);
                var key = ObjectKey.Of(obj);
                seen.Add(key);
                _items.TryGetValue(key, out var previous);
                Put(key, obj, previous);
                if (previous is null) changes.Add((StoreChange.Added, obj, null));
                else if (previous.Metadata.ResourceVersion != obj.Metadata.ResourceVersion)
                    changes.Add((StoreChange.Updated, obj, previous));
            }
            foreach (var key in _items.Keys)
            {
                if ((scope is null || key.Namespace == scope) && !seen.Contains(key) && _items.TryRemove(key, out var gone))
                {
                    Unindex(key, gone);
                    changes.Add((StoreChange.Deleted, gone, null));
                }
            }
        }
        return changes;
    }

    /// <summary>Sets the item and moves its index entry when the controller changed. Call under the write lock.</summary>
    private void Put(ObjectKey key, T obj, T? previous)
    {
        _items[key] = obj;
        var before = previous is null ? null : _indexKey(previous);
        var after = _indexKey(obj);
        if (before == after) return;
        if (previous is not null) Unindex(key, previous);
        if (after is null) return;
        if (!_index.TryGetValue(after, out var keys)) _index[after] = keys = [];
        keys.Add(key);
    }

    private void Unindex(ObjectKey key, T? obj)
    {
        if (obj is null || _indexKey(obj) is not { } indexed || !_index.TryGetValue(indexed, out var keys)) return;
        keys.Remove(key);
        if (keys.Count == 0) _index.Remove(indexed);
    }

    /// <summary>The UID in the object's controller ownerReference, if it has one.</summary>
    public static string? ControllerUid(T obj)
    {
        if (obj.Metadata.OwnerReferences is not { } owners) return null;
        foreach (var owner in owners)
            if (owner.Controller == true) return owner.Uid;
        return null;
    }

    /// <summary>
    /// managedFields are often the largest part of an object and most readers never look at them: drop them before
    /// caching (client-go operators do the same with a transform), which keeps the cache of thousands of objects small.
    /// </summary>
    public static T WithoutManagedFields(T obj)
    {
        obj.Metadata.ManagedFields = null;
        return obj;
    }

    private static bool IsSameVersion(T candidate, T cached) =>
        !string.IsNullOrEmpty(candidate.Metadata.ResourceVersion)
        && candidate.Metadata.ResourceVersion == cached.Metadata.ResourceVersion;

    private static bool IsOlder(T candidate, T cached) =>
        ResourceVersions.IsOlder(candidate.Metadata.ResourceVersion, cached.Metadata.ResourceVersion);
}
