using k8s;
using k8s.Models;
using WsPool.Core.Api;
using WsPool.Core.Balancers;
using WsPool.Core.Intent;
using WsPool.Core.Rendering;
using WsPool.Operator.Kubernetes;

namespace WsPool.Operator.Reconciling;

/// <summary>
/// Makes the cluster hold a pool's intent: each object completed for apply (namespace, owner, managed-by label,
/// intent hash), applied with server-side apply only when the live object differs, and every object the pool owns
/// that the intent no longer has deleted. What the cluster cannot serve yet (a missing CRD) is skipped.
/// </summary>
public sealed class PoolApplier(IKubernetes client, OwnedKinds kinds)
{
    /// <summary>Applies and prunes; returns what changed ("applied Deployment chat", "deleted Ingress chat").</summary>
    public async Task<IReadOnlyList<string>> ApplyAsync(PoolIntent intent, IReadOnlyList<ClusterPrerequisite> missing,
        CancellationToken cancellationToken)
    {
        var pool = intent.Pool;
        var objects = intent.Objects.Select(o => Prepare(o, pool)).ToList();
        var changes = new List<string>();
        foreach (var obj in objects)
        {
            var kind = KindOf(obj);
            if (NotServed(obj, missing) || kind.IsApplied(obj)) continue;
            await kind.ApplyAsync(client, obj, cancellationToken).ConfigureAwait(false);
            changes.Add($"applied {obj.Kind} {obj.Metadata.Name}");
        }
        foreach (var (kind, stale) in Unwanted(pool, objects))
        {
            await kind.DeleteAsync(client, stale.Metadata.NamespaceProperty, stale.Metadata.Name, cancellationToken)
                .ConfigureAwait(false);
            changes.Add($"deleted {kind.Kind} {stale.Metadata.Name}");
        }
        return changes;
    }

    /// <summary>True when the object's API is among the missing prerequisites: there is nothing to apply it to.</summary>
    private static bool NotServed(IKubernetesObject<V1ObjectMeta> obj, IReadOnlyList<ClusterPrerequisite> missing) =>
        missing.OfType<ApiResourcePrerequisite>().Any(m => m.Serves(obj.ApiVersion, obj.Kind));

    private IOwnedKind KindOf(IKubernetesObject<V1ObjectMeta> obj) =>
        kinds.For(obj.ApiVersion, obj.Kind)
        ?? throw new InvalidOperationException($"the intent holds {obj.ApiVersion} {obj.Kind}, which the operator does not manage");

    /// <summary>
    /// Completes an intent object for apply, in place (the intent is computed afresh for each reconcile): identity,
    /// namespace, owner, the managed-by label, the intent hash.
    /// </summary>
    private static IKubernetesObject<V1ObjectMeta> Prepare(IKubernetesObject<V1ObjectMeta> obj, WebSocketPool pool)
    {
        if (string.IsNullOrEmpty(obj.ApiVersion) || string.IsNullOrEmpty(obj.Kind))
        {
            var entity = obj.GetType().GetCustomAttributes(typeof(KubernetesEntityAttribute), false)
                .OfType<KubernetesEntityAttribute>().FirstOrDefault()
                ?? throw new InvalidOperationException($"rendered {obj.GetType().Name} has no apiVersion/kind");
            obj.ApiVersion = string.IsNullOrEmpty(entity.Group) ? entity.ApiVersion : $"{entity.Group}/{entity.ApiVersion}";
            obj.Kind = entity.Kind;
        }
        obj.Metadata.NamespaceProperty ??= pool.Metadata.NamespaceProperty;
        obj.Metadata.Labels ??= new Dictionary<string, string>();
        obj.Metadata.Labels[PoolLabels.ManagedBy] = PoolLabels.ManagedByValue;
        obj.Metadata.OwnerReferences = [PoolObjects.OwnerReference(pool)];
        AppliedIntent.Stamp(obj);
        return obj;
    }

    /// <summary>Cached objects this pool controls that the intent no longer has.</summary>
    private IEnumerable<(IOwnedKind Kind, IKubernetesObject<V1ObjectMeta> Object)> Unwanted(WebSocketPool pool,
        IReadOnlyList<IKubernetesObject<V1ObjectMeta>> objects)
    {
        var wanted = objects.Select(i => (i.ApiVersion, i.Kind, i.Metadata.Name)).ToHashSet();
        foreach (var kind in kinds.All)
        {
            foreach (var obj in kind.CachedControlledBy(pool.Metadata.Uid))
            {
                if (!wanted.Contains((kind.ApiVersion, kind.Kind, obj.Metadata.Name))) yield return (kind, obj);
            }
        }
    }
}
