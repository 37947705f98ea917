using k8s;
using k8s.Models;
using WsPool.Core.Api;
using WsPool.Core.Rendering;

namespace WsPool.Operator.Kubernetes;

/// <summary>What several steps of a reconcile read or write about a pool's objects the same way.</summary>
public static class PoolObjects
{
    /// <summary>The controller reference to the pool: what it owns is garbage-collected with it.</summary>
    public static V1OwnerReference OwnerReference(WebSocketPool pool) => new()
    {
        ApiVersion = pool.ApiVersion,
        Kind = pool.Kind,
        Name = pool.Metadata.Name,
        Uid = pool.Metadata.Uid,
        Controller = true,
        BlockOwnerDeletion = true,
    };

    /// <summary>
    /// A component's pods, listed from the API by label: the operator caches only the objects it owns, and a list per
    /// poll or rollout look is cheaper than watching every pod.
    /// </summary>
    public static async Task<IReadOnlyList<V1Pod>> ListPodsAsync(IKubernetes client, string ns, string pool, string component,
        CancellationToken cancellationToken) =>
        (await client.CoreV1.ListNamespacedPodAsync(ns, labelSelector: PoolLabels.SelectorText(pool, component),
            cancellationToken: cancellationToken).ConfigureAwait(false)).Items?.ToList() ?? [];
}
