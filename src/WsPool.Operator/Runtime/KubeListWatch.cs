using k8s;
using k8s.Autorest;
using k8s.Models;

namespace WsPool.Operator.Runtime;

/// <summary>
/// The arguments of one generated KubernetesClient list call. The same call lists (watch=false) and watches
/// (watch=true, with bookmarks and a server timeout), as in the API itself.
/// </summary>
public sealed record ListCall(string? ResourceVersion, bool Watch, int? TimeoutSeconds, CancellationToken CancellationToken)
{
    /// <summary>The page size of a list (none for a watch).</summary>
    public int? Limit { get; init; }

    /// <summary>The token of the page to list next, from the previous page.</summary>
    public string? Continue { get; init; }

    public bool? AllowWatchBookmarks => Watch ? true : null;
    public bool? WatchFlag => Watch ? true : null;
}

/// <summary>
/// <see cref="IListWatch{T}"/> over any generated list method of KubernetesClient (typed kinds or custom objects):
/// give it the call and how to take items and resourceVersion out of the list body.
/// </summary>
public sealed class KubeListWatch<T, TList>(
    string description,
    string? @namespace,
    Func<ListCall, Task<HttpOperationResponse<TList>>> call,
    Func<TList, ListResult<T>> unpack) : IListWatch<T>
    where T : IKubernetesObject<V1ObjectMeta>
{
    public string Description => description;

    public string? Namespace => @namespace;

    /// <summary>Pages of this many objects, as client-go's reflector lists: bounded responses for the server and for us.</summary>
    public const int PageSize = 500;

    public async Task<ListResult<T>> ListAsync(Func<T, T> admit, CancellationToken cancellationToken)
    {
        var items = new List<T>();
        string? resourceVersion = null;
        string? next = null;
        do
        {
            // Every page comes from the snapshot of the first (the continue token carries its resourceVersion).
            using var response = await call(new ListCall(null, false, null, cancellationToken) { Limit = PageSize, Continue = next })
                .ConfigureAwait(false);
            var page = unpack(response.Body);
            resourceVersion ??= page.ResourceVersion;
            items.AddRange(page.Items.Select(admit));
            next = string.IsNullOrEmpty(page.Continue) ? null : page.Continue;
        }
        while (next is not null);
        return new ListResult<T>(items, resourceVersion);
    }

    public async Task<WatchStream<T>> WatchAsync(string resourceVersion, int timeoutSeconds, CancellationToken cancellationToken)
    {
        var response = await call(new ListCall(resourceVersion, true, timeoutSeconds, cancellationToken)).ConfigureAwait(false);
        var errors = new WatchErrors();
#pragma warning disable CS0618 // WatchAsync is marked obsolete in KubernetesClient 21 but is the supported way to read a watch.
        var events = Task.FromResult(response).WatchAsync<T, TList>(errors.Report, cancellationToken);
#pragma warning restore CS0618
        return new WatchStream<T>(response, events, errors);
    }
}

/// <summary>A list of custom objects as the API returns it (KubernetesClient has no typed list for custom kinds).</summary>
public sealed class CustomObjectList<T>
{
    [System.Text.Json.Serialization.JsonPropertyName("metadata")]
    public V1ListMeta? Metadata { get; set; }

    [System.Text.Json.Serialization.JsonPropertyName("items")]
    public List<T>? Items { get; set; }
}
