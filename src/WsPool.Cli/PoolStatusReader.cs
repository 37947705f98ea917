using System.Text.Json;
using System.Text.Json.Serialization;
using k8s;
using WsPool.Core.Api;

namespace WsPool.Cli;

/// <summary>Reads WebSocketPools (spec and status) from the cluster for `wspool status`.</summary>
internal sealed class PoolStatusReader(IKubernetes client)
{
    /// <summary>Pools in <paramref name="ns"/>, or in every namespace when it is null; sorted by namespace, then name.</summary>
    public async Task<IReadOnlyList<WebSocketPool>> ListAsync(string? ns, CancellationToken cancellationToken)
    {
        var raw = ns is null
            ? await client.CustomObjects.ListClusterCustomObjectAsync(WebSocketPool.Group, WebSocketPool.Version,
                WebSocketPool.Plural, cancellationToken: cancellationToken)
            : await client.CustomObjects.ListNamespacedCustomObjectAsync(WebSocketPool.Group, WebSocketPool.Version, ns,
                WebSocketPool.Plural, cancellationToken: cancellationToken);
        var list = KubernetesJson.Deserialize<PoolList>(ToJson(raw));
        return (list.Items ?? [])
            .OrderBy(p => p.Metadata?.NamespaceProperty, StringComparer.Ordinal)
            .ThenBy(p => p.Metadata?.Name, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>One pool; null when it does not exist.</summary>
    public async Task<WebSocketPool?> GetAsync(string ns, string name, CancellationToken cancellationToken)
    {
        try
        {
            var raw = await client.CustomObjects.GetNamespacedCustomObjectAsync(WebSocketPool.Group, WebSocketPool.Version,
                ns, WebSocketPool.Plural, name, cancellationToken);
            return KubernetesJson.Deserialize<WebSocketPool>(ToJson(raw));
        }
        catch (k8s.Autorest.HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    private static string ToJson(object raw) => raw is JsonElement element ? element.GetRawText() : KubernetesJson.Serialize(raw);

    private sealed class PoolList
    {
        [JsonPropertyName("items")]
        public List<WebSocketPool>? Items { get; set; }
    }
}
