using System.Net;
using System.Security.Cryptography;
using System.Text;
using k8s;
using k8s.Autorest;
using k8s.Models;
using WsPool.Core.Api;
using WsPool.Core.Rendering;
using WsPool.Operator.Kubernetes;

namespace WsPool.Operator.Reconciling;

/// <summary>
/// The random values a pool's intent carries (<see cref="Core.Intent.PoolIntent.GeneratedValuesOf"/>). Each is
/// generated once and then always read back from its Secret, so applying never rotates a password.
/// </summary>
public sealed class GeneratedSecrets(IKubernetes client, OwnedKinds kinds)
{
    public async Task<IReadOnlyDictionary<GeneratedValue, string>> ReadOrGenerateAsync(WebSocketPool pool,
        IReadOnlyList<GeneratedValue> needed, CancellationToken cancellationToken)
    {
        var values = new Dictionary<GeneratedValue, string>();
        var ns = pool.Metadata.NamespaceProperty ?? "default";
        foreach (var value in needed)
        {
            var existing = await ReadAsync(ns, value.Secret, cancellationToken).ConfigureAwait(false);
            values[value] = existing?.Data?.TryGetValue(value.Key, out var bytes) == true && bytes.Length > 0
                ? Encoding.UTF8.GetString(bytes)
                : RandomNumberGenerator.GetHexString(32, lowercase: true);
        }
        return values;
    }

    /// <summary>The Secret from the cache, or from the API when the cache has not seen it (a Secret created moments ago).</summary>
    private async Task<V1Secret?> ReadAsync(string ns, string name, CancellationToken cancellationToken)
    {
        if (kinds.Secrets.Store.Get(ns, name) is { } cached) return cached;
        try
        {
            return await client.CoreV1.ReadNamespacedSecretAsync(name, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }
}
