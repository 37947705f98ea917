using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;
using WsPool.Core.Api;
using WsPool.Operator.Runtime;

namespace WsPool.Operator.Kubernetes;

/// <summary>The WebSocketPool custom resource: its cache, informer and status writes.</summary>
public sealed class PoolKind
{
    /// <summary>kubectl's client-side apply keeps a copy of the whole object in this annotation.</summary>
    public const string LastAppliedAnnotation = "kubectl.kubernetes.io/last-applied-configuration";

    public Store<WebSocketPool> Store { get; } = new(admit: Admit);

    /// <summary>
    /// What the cache keeps of a pool: everything but its managedFields and kubectl's last-applied copy. Nothing here
    /// reads either, and the copy alone doubles a pool that was applied with a client-side `kubectl apply`.
    /// </summary>
    public static WebSocketPool Admit(WebSocketPool pool)
    {
        pool.Metadata.ManagedFields = null;
        pool.Metadata.Annotations?.Remove(LastAppliedAnnotation);
        return pool;
    }

    public Informer<WebSocketPool> CreateInformer(IKubernetes client, string? @namespace, InformerOptions options,
        TimeProvider clock, ILoggerFactory loggers, IInformerMetrics? metrics)
    {
        var scope = @namespace is null ? "all namespaces" : $"namespace {@namespace}";
        var source = new KubeListWatch<WebSocketPool, CustomObjectList<WebSocketPool>>(
            $"{WebSocketPool.Plural}.{WebSocketPool.GroupVersion} in {scope}", @namespace,
            q => List(client, @namespace, q),
            l => new(l.Items ?? [], l.Metadata?.ResourceVersion ?? "", l.Metadata?.ContinueProperty));
        return new Informer<WebSocketPool>(source, Store, options, clock,
            loggers.CreateLogger("WsPool.Operator.Informer.WebSocketPool"), metrics);
    }

    private static Task<HttpOperationResponse<CustomObjectList<WebSocketPool>>> List(IKubernetes client, string? @namespace,
        ListCall q) => @namespace is null
        ? client.CustomObjects.ListClusterCustomObjectWithHttpMessagesAsync<CustomObjectList<WebSocketPool>>(
            WebSocketPool.Group, WebSocketPool.Version, WebSocketPool.Plural, allowWatchBookmarks: q.AllowWatchBookmarks,
            resourceVersion: q.ResourceVersion, limit: q.Limit, continueParameter: q.Continue, timeoutSeconds: q.TimeoutSeconds,
            watch: q.WatchFlag, cancellationToken: q.CancellationToken)
        : client.CustomObjects.ListNamespacedCustomObjectWithHttpMessagesAsync<CustomObjectList<WebSocketPool>>(
            WebSocketPool.Group, WebSocketPool.Version, @namespace, WebSocketPool.Plural,
            allowWatchBookmarks: q.AllowWatchBookmarks, resourceVersion: q.ResourceVersion, limit: q.Limit, continueParameter: q.Continue,
            timeoutSeconds: q.TimeoutSeconds, watch: q.WatchFlag, cancellationToken: q.CancellationToken);

    /// <summary>Writes the status subresource with a merge patch; the returned pool goes into the cache.</summary>
    public async Task<WebSocketPool> PatchStatusAsync(IKubernetes client, WebSocketPool pool, WebSocketPoolStatus status,
        CancellationToken cancellationToken)
    {
        var patch = new V1Patch(StatusMergePatch(pool.Status, status), V1Patch.PatchType.MergePatch);
        using var response = await client.CustomObjects.PatchNamespacedCustomObjectStatusWithHttpMessagesAsync<WebSocketPool>(
            patch, WebSocketPool.Group, WebSocketPool.Version, pool.Metadata.NamespaceProperty, WebSocketPool.Plural,
            pool.Metadata.Name, fieldManager: FieldManager.Name, cancellationToken: cancellationToken)
            .ConfigureAwait(false);
        Store.TryUpdateNewer(response.Body);
        return response.Body;
    }

    /// <summary>
    /// A merge patch (RFC 7386) of the status. The serializer leaves unset fields out, and a merge patch only removes
    /// what it sets to null: a field the current status has and the new one does not (a finished rollout) is written
    /// as null explicitly, or it would stay forever.
    /// </summary>
    public static string StatusMergePatch(WebSocketPoolStatus? current, WebSocketPoolStatus status)
    {
        var desired = (JsonObject)JsonNode.Parse(KubernetesJson.Serialize(status))!;
        if (current is not null && JsonNode.Parse(KubernetesJson.Serialize(current)) is JsonObject before)
            foreach (var (name, _) in before)
                if (!desired.ContainsKey(name)) desired[name] = null;
        return new JsonObject { ["status"] = desired }.ToJsonString();
    }
}
