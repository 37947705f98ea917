using k8s;
using k8s.Models;

namespace WsPool.Operator.Runtime;

/// <summary>
/// A consistent snapshot of a collection and the resourceVersion to watch from; for one page of a paginated list,
/// the token that asks for the next page (none on the last).
/// </summary>
public sealed record ListResult<T>(IReadOnlyList<T> Items, string ResourceVersion, string? Continue = null);

/// <summary>
/// One open watch stream. Disposing it disposes the HTTP response, which closes the connection and ends a pending
/// read — the only way to stop a stalled stream, and what keeps memory flat across reconnects.
/// </summary>
public sealed class WatchStream<T>(IDisposable response, IAsyncEnumerable<(WatchEventType Type, T Object)> events, WatchErrors errors)
    : IDisposable
{
    public IAsyncEnumerable<(WatchEventType Type, T Object)> Events => events;

    /// <summary>Error events the server sent in the stream (a Status object, e.g. 410 Expired).</summary>
    public WatchErrors Errors => errors;

    public void Dispose() => response.Dispose();
}

/// <summary>Collects the errors KubernetesClient reports through its onError callback while a stream is read.</summary>
public sealed class WatchErrors
{
    private volatile Exception? _last;

    public Exception? Last => _last;

    public void Report(Exception error) => _last = error;
}

/// <summary>How an informer lists and watches one kind in one scope (a namespace or the whole cluster).</summary>
public interface IListWatch<T> where T : IKubernetesObject<V1ObjectMeta>
{
    /// <summary>A description for logs and metrics, e.g. "apps/v1 deployments in all namespaces".</summary>
    string Description { get; }

    /// <summary>The namespace listed and watched, or null for all namespaces.</summary>
    string? Namespace { get; }

    /// <summary>
    /// Lists every object, passing each through <paramref name="admit"/> as it arrives (what the store will keep), so a
    /// large collection is never held whole in memory at once; the items returned are the admitted ones.
    /// </summary>
    Task<ListResult<T>> ListAsync(Func<T, T> admit, CancellationToken cancellationToken);

    /// <summary>Opens a watch from the resourceVersion with bookmarks and a server-side timeout.</summary>
    Task<WatchStream<T>> WatchAsync(string resourceVersion, int timeoutSeconds, CancellationToken cancellationToken);
}
