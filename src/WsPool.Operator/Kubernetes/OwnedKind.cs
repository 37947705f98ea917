using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;
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

    IKubernetesObject<V1ObjectMeta>? Cached(string @namespace, string name);

    /// <summary>Cached objects of this kind whose controller is the object with this UID.</summary>
    IReadOnlyList<IKubernetesObject<V1ObjectMeta>> CachedControlledBy(string? ownerUid);

    /// <summary>Server-side apply; the returned object is also written through to the cache.</summary>
    Task<IKubernetesObject<V1ObjectMeta>> ApplyAsync(IKubernetes client, IKubernetesObject<V1ObjectMeta> intent,
        string fieldManager, CancellationToken cancellationToken);

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

/// <summary>One owned kind, typed. <see cref="OwnedKinds"/> lists them.</summary>
public sealed class OwnedKind<T, TList>(
    string apiVersion,
    string kind,
    string plural,
    ListFunc<TList> list,
    Func<TList, ListResult<T>> unpack,
    ApplyFunc<T> apply,
    DeleteFunc delete) : IOwnedKind
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    public string ApiVersion => apiVersion;
    public string Kind => kind;
    public string Plural => plural;
    public Store<T> Store { get; } = new();

    public IKubernetesObject<V1ObjectMeta>? Cached(string @namespace, string name) => Store.Get(@namespace, name);

    public IReadOnlyList<IKubernetesObject<V1ObjectMeta>> CachedControlledBy(string? ownerUid) => Store.Indexed(ownerUid);

    public async Task<IKubernetesObject<V1ObjectMeta>> ApplyAsync(IKubernetes client, IKubernetesObject<V1ObjectMeta> intent,
        string fieldManager, CancellationToken cancellationToken)
    {
        var patch = new V1Patch(intent, V1Patch.PatchType.ApplyPatch);
        var applied = await apply(client, patch, intent.Metadata.Name, intent.Metadata.NamespaceProperty, fieldManager,
            cancellationToken).ConfigureAwait(false);
        Store.TryUpdateNewer(applied);
        return applied;
    }

    public async Task DeleteAsync(IKubernetes client, string @namespace, string name, CancellationToken cancellationToken)
    {
        try
        {
            await delete(client, name, @namespace, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
        }
        Store.Remove(new ObjectKey(@namespace, name), out _);
    }

    public IInformer CreateInformer(IKubernetes client, string? @namespace, string labelSelector, InformerOptions options,
        TimeProvider clock, ILoggerFactory loggers, IInformerMetrics? metrics)
    {
        var scope = @namespace is null ? "all namespaces" : $"namespace {@namespace}";
        var source = new KubeListWatch<T, TList>($"{plural}.{apiVersion} in {scope}", @namespace,
            call => list(client, @namespace, labelSelector, call), unpack);
        return new InformerAdapter<T>(new Informer<T>(source, Store, options, clock,
            loggers.CreateLogger($"WsPool.Operator.Informer.{kind}"), metrics));
    }
}
