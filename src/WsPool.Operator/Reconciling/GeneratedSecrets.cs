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
/// Values the renderer asks the operator to generate (a Secret annotated with wspool.dev/generate-keys). Each is
/// generated once and then always read back from the existing Secret, so applying never rotates a password.
/// </summary>
public sealed class GeneratedSecrets(IKubernetes client, OwnedKinds kinds)
{
    /// <summary>
    /// Renders the pool with <paramref name="options"/> (what the caller knows, such as NGINX's upstream servers) and
    /// every generated value it needs, reading existing values first.
    /// </summary>
    public async Task<RenderedPool> RenderAsync(WebSocketPool pool, RenderOptions options, CancellationToken cancellationToken)
    {
        var values = new Dictionary<string, string>();
        var first = PoolRenderer.Render(pool, options with { SecretValues = values });
        foreach (var secret in first.Objects.OfType<V1Secret>())
        {
            var keys = AppliedIntent.Annotation(secret, FieldManager.GenerateKeysAnnotation);
            if (string.IsNullOrWhiteSpace(keys)) continue;
            var ns = secret.Metadata.NamespaceProperty ?? pool.Metadata.NamespaceProperty ?? "default";
            var existing = await ReadAsync(ns, secret.Metadata.Name, cancellationToken).ConfigureAwait(false);
            foreach (var key in keys.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                values[$"{secret.Metadata.Name}/{key}"] = existing?.Data?.TryGetValue(key, out var bytes) == true && bytes.Length > 0
                    ? Encoding.UTF8.GetString(bytes)
                    : RandomNumberGenerator.GetHexString(32, lowercase: true);
            }
        }
        return values.Count == 0 ? first : PoolRenderer.Render(pool, options with { SecretValues = values });
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
