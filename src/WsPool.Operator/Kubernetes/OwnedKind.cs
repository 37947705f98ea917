using System.Collections.Concurrent;
using System.Net;
using System.Text;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;
using WsPool.Core.Permissions;
using WsPool.Operator.Runtime;

namespace WsPool.Operator.Kubernetes;

/// <summary>
/// A kind the operator creates for pools: its cache and how to list, watch, apply and delete it. Non-generic so the
/// reconciler can treat every owned kind alike.
/// </summary>
public interface IOwnedKind
{
    string ApiVersion { get; }
    string Kind { get; }
    string Plural { get; }

    IKubernetesObject<V1ObjectMeta>? Cached(string @namespace, string name);

    /// <summary>
    /// True when the cached object still holds everything this (stamped) intent sets, so applying it would change
    /// nothing: see <see cref="OwnedKind{T,TList}"/> for how that is known without keeping whole objects.
    /// </summary>
    bool IsApplied(IKubernetesObject<V1ObjectMeta> intent);

    /// <summary>Cached objects of this kind whose controller is the object with this UID.</summary>
    IReadOnlyList<IKubernetesObject<V1ObjectMeta>> CachedControlledBy(string? ownerUid);

    /// <summary>Server-side apply under the kind's field manager; the returned object is also written through to the cache.</summary>
    Task<IKubernetesObject<V1ObjectMeta>> ApplyAsync(IKubernetes client, IKubernetesObject<V1ObjectMeta> intent,
        CancellationToken cancellationToken);

    /// <summary>Deletes the object; an object already gone counts as deleted.</summary>
    Task DeleteAsync(IKubernetes client, string @namespace, string name, CancellationToken cancellationToken);

    /// <summary>An informer over objects with the label selector in the namespace (null: all namespaces).</summary>
    IInformer CreateInformer(IKubernetes client, string? @namespace, string labelSelector, InformerOptions options,
        TimeProvider clock, ILoggerFactory loggers, IInformerMetrics? metrics);
}

/// <summary>The untyped face of an informer: run it, wait for its sync, hear its changes.</summary>
public interface IInformer
{
    string Description { get; }
    Task Synced { get; }
    bool HasSynced { get; }
    Task RunAsync(CancellationToken cancellationToken);
    void AddHandler(Action<StoreChange, IKubernetesObject<V1ObjectMeta>> handler);
}

/// <summary>Adapts a typed informer to <see cref="IInformer"/>.</summary>
public sealed class InformerAdapter<T>(Informer<T> informer) : IInformer where T : class, IKubernetesObject<V1ObjectMeta>
{
    public Informer<T> Typed => informer;
    public string Description => informer.Description;
    public Task Synced => informer.Synced;
    public bool HasSynced => informer.HasSynced;
    public Task RunAsync(CancellationToken cancellationToken) => informer.RunAsync(cancellationToken);

    public void AddHandler(Action<StoreChange, IKubernetesObject<V1ObjectMeta>> handler) =>
        informer.AddHandler((change, obj, _) => handler(change, obj));
}

/// <summary>Arguments to the generated list calls of one kind.</summary>
public delegate Task<HttpOperationResponse<TList>> ListFunc<TList>(IKubernetes client, string? @namespace,
    string labelSelector, ListCall call);

public delegate Task<T> ApplyFunc<T>(IKubernetes client, V1Patch patch, string name, string @namespace,
    string fieldManager, CancellationToken cancellationToken);

public delegate Task DeleteFunc(IKubernetes client, string name, string @namespace, CancellationToken cancellationToken);

/// <summary>
/// One owned kind, typed. <see cref="OwnedKinds"/> lists them.
/// <para>
/// The cache keeps a compact copy (<see cref="CompactCopies"/>) of every object, and an object's body only until it
/// is compared with its intent. What is known is recorded per object after each apply (from the server's response)
/// and each successful comparison: the intent's hash and a digest of the fields the operator owns
/// (<see cref="OwnedFields"/>). An incoming version with the same hash and the same owned fields is known to hold the
/// intent, because the server would have moved any field someone else changed out of the operator's set; for anything
/// else (someone's edit, an operator that just started and knows nothing) the body is kept as JSON, and the
/// reconciler's next look decides between "matches" and "apply again".
/// </para>
/// </summary>
public sealed class OwnedKind<T, TList> : IOwnedKind
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    private readonly string _fieldManager;
    private readonly ListFunc<TList> _list;
    private readonly Func<TList, ListResult<T>> _unpack;
    private readonly ApplyFunc<T> _apply;
    private readonly DeleteFunc _delete;
    private readonly Func<T, T> _compact;
    private readonly ConcurrentDictionary<ObjectKey, AppliedRecord> _applied = new();
    private readonly ConcurrentDictionary<ObjectKey, Unverified> _unverified = new();

    /// <param name="compact">The compact copy of an object of this kind that the cache keeps.</param>
    public OwnedKind(string apiVersion, string kind, string plural, string fieldManager, ListFunc<TList> list,
        Func<TList, ListResult<T>> unpack, ApplyFunc<T> apply, DeleteFunc delete, Func<T, T> compact)
    {
        ApiVersion = apiVersion;
        Kind = kind;
        Plural = plural;
        _fieldManager = fieldManager;
        _list = list;
        _unpack = unpack;
        _apply = apply;
        _delete = delete;
        _compact = compact;
        Store = new Store<T>(admit: Admit);
    }

    /// <param name="identity">apiVersion, kind and plural, from the operator's permissions (so RBAC covers the kind).</param>
    public OwnedKind(OwnedKindPermission identity, string fieldManager, ListFunc<TList> list,
        Func<TList, ListResult<T>> unpack, ApplyFunc<T> apply, DeleteFunc delete, Func<T, T> compact)
        : this(identity.ApiVersion, identity.Kind, identity.Resource, fieldManager, list, unpack, apply, delete, compact)
    {
    }

    public string ApiVersion { get; }
    public string Kind { get; }
    public string Plural { get; }
    public Store<T> Store { get; }

    public IKubernetesObject<V1ObjectMeta>? Cached(string @namespace, string name) => Store.Get(@namespace, name);

    /// <summary>Objects whose body is kept because they are not yet known to hold their intent.</summary>
    internal int AwaitingComparison => _unverified.Count;

    public bool IsApplied(IKubernetesObject<V1ObjectMeta> intent)
    {
        var key = ObjectKey.Of(intent);
        var live = Store.Get(key);
        var wanted = AppliedIntent.Annotation(intent, FieldManager.AppliedHashAnnotation);
        if (live is null || wanted is null || AppliedIntent.Annotation(live, FieldManager.AppliedHashAnnotation) != wanted)
            return false;
        if (AppliedIntent.IsVerified(live, wanted)) return true;
        // Not known yet: compare the body kept for this version once; a match makes it known.
        if (!_unverified.TryGetValue(key, out var body) || body.ResourceVersion != live.Metadata.ResourceVersion
            || !AppliedIntent.IsSatisfiedByJson(intent, body.Json))
            return false;
        _applied[key] = new AppliedRecord(wanted, body.OwnedFieldsDigest);
        _unverified.TryRemove(new KeyValuePair<ObjectKey, Unverified>(key, body));
        AppliedIntent.MarkVerified(live, wanted);
        return true;
    }

    public IReadOnlyList<IKubernetesObject<V1ObjectMeta>> CachedControlledBy(string? ownerUid) => Store.Indexed(ownerUid);

    public async Task<IKubernetesObject<V1ObjectMeta>> ApplyAsync(IKubernetes client, IKubernetesObject<V1ObjectMeta> intent,
        CancellationToken cancellationToken)
    {
        var patch = new V1Patch(intent, V1Patch.PatchType.ApplyPatch);
        var applied = await _apply(client, patch, intent.Metadata.Name, intent.Metadata.NamespaceProperty, _fieldManager,
            cancellationToken).ConfigureAwait(false);
        // The response is the object as the server stored it: the fields the operator owns in it are the baseline.
        var key = ObjectKey.Of(applied);
        var hash = AppliedIntent.Annotation(applied, FieldManager.AppliedHashAnnotation);
        if (hash is not null) _applied[key] = new AppliedRecord(hash, OwnedFields.Digest(applied, _fieldManager));
        // When the watch delivered this version first, it was admitted as unknown (the record did not exist yet).
        if (!Store.TryUpdateNewer(applied) && hash is not null && Store.Get(key) is { } cached
            && cached.Metadata.ResourceVersion == applied.Metadata.ResourceVersion)
        {
            AppliedIntent.MarkVerified(cached, hash);
            _unverified.TryRemove(key, out _);
        }
        return applied;
    }

    public async Task DeleteAsync(IKubernetes client, string @namespace, string name, CancellationToken cancellationToken)
    {
        try
        {
            await _delete(client, name, @namespace, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
        }
        var key = new ObjectKey(@namespace, name);
        Store.Remove(key, out _);
        ForgetRecords(key);
    }

    public IInformer CreateInformer(IKubernetes client, string? @namespace, string labelSelector, InformerOptions options,
        TimeProvider clock, ILoggerFactory loggers, IInformerMetrics? metrics)
    {
        var scope = @namespace is null ? "all namespaces" : $"namespace {@namespace}";
        var source = new KubeListWatch<T, TList>($"{Plural}.{ApiVersion} in {scope}", @namespace,
            call => _list(client, @namespace, labelSelector, call), _unpack);
        var informer = new Informer<T>(source, Store, options, clock,
            loggers.CreateLogger($"WsPool.Operator.Informer.{Kind}"), metrics);
        informer.AddHandler((change, obj, _) =>
        {
            if (change == StoreChange.Deleted) ForgetRecords(ObjectKey.Of(obj));
        });
        return new InformerAdapter<T>(informer);
    }

    private void ForgetRecords(ObjectKey key)
    {
        _applied.TryRemove(key, out _);
        _unverified.TryRemove(key, out _);
    }

    /// <summary>
    /// The store's admission: always the compact copy. When the record shows the operator's fields unchanged, the copy
    /// is known to hold the intent; otherwise the body is kept aside as JSON (smaller than the typed object, and what
    /// the comparison reads) until the reconciler has compared it.
    /// </summary>
    private T Admit(T obj)
    {
        var key = ObjectKey.Of(obj);
        var hash = AppliedIntent.Annotation(obj, FieldManager.AppliedHashAnnotation);
        var digest = OwnedFields.Digest(obj, _fieldManager);
        var copy = _compact(obj);
        var version = obj.Metadata.ResourceVersion;
        if (hash is not null && _applied.TryGetValue(key, out var record) && record.IntentHash == hash
            && record.OwnedFieldsDigest == digest)
        {
            AppliedIntent.MarkVerified(copy, hash);
            // A body kept for a newer version (the store will keep that one, not this) is still needed.
            if (_unverified.TryGetValue(key, out var kept) && !ResourceVersions.IsOlder(version, kept.ResourceVersion))
                _unverified.TryRemove(new KeyValuePair<ObjectKey, Unverified>(key, kept));
        }
        else if (hash is not null)
        {
            var body = new Unverified(version, BodyJson(obj), digest);
            _unverified.AddOrUpdate(key, body, (_, kept) => ResourceVersions.IsOlder(version, kept.ResourceVersion) ? kept : body);
        }
        // Without the hash no intent can match (the comparison starts there): the next reconcile applies, no body needed.
        return copy;
    }

    /// <summary>The object as JSON without its managedFields, which the comparison ignores and which are its largest part.</summary>
    private static byte[] BodyJson(T obj)
    {
        var managedFields = obj.Metadata.ManagedFields;
        obj.Metadata.ManagedFields = null;
        try
        {
            return Encoding.UTF8.GetBytes(KubernetesJson.Serialize(obj));
        }
        finally
        {
            obj.Metadata.ManagedFields = managedFields;
        }
    }

    /// <summary>A version of an object not yet compared with its intent: its body, and its owned fields for the record.</summary>
    private sealed record Unverified(string? ResourceVersion, byte[] Json, UInt128? OwnedFieldsDigest);

    /// <summary>What the operator last applied to an object (or found there): the intent's hash and its owned fields.</summary>
    private readonly record struct AppliedRecord(string IntentHash, UInt128? OwnedFieldsDigest);
}
