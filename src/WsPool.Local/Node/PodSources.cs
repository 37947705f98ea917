using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace WsPool.Local.Node;

/// <summary>
/// The ConfigMaps and Secrets a pod reads (environment and volumes), read through the API as the kubelet does, each
/// at most once per preparation so a pod's variables and files come from the same version of each object.
/// </summary>
internal sealed class PodSources(IKubernetes client, string @namespace)
{
    private readonly Dictionary<string, V1ConfigMap?> _configMaps = new(StringComparer.Ordinal);
    private readonly Dictionary<string, V1Secret?> _secrets = new(StringComparer.Ordinal);

    /// <summary>The ConfigMap, or null when it does not exist.</summary>
    public async Task<V1ConfigMap?> ConfigMapAsync(string name, CancellationToken cancellationToken)
    {
        if (_configMaps.TryGetValue(name, out var cached)) return cached;
        return _configMaps[name] = await ReadAsync(() => client.CoreV1.ReadNamespacedConfigMapAsync(name, @namespace, cancellationToken: cancellationToken));
    }

    /// <summary>The Secret, or null when it does not exist.</summary>
    public async Task<V1Secret?> SecretAsync(string name, CancellationToken cancellationToken)
    {
        if (_secrets.TryGetValue(name, out var cached)) return cached;
        return _secrets[name] = await ReadAsync(() => client.CoreV1.ReadNamespacedSecretAsync(name, @namespace, cancellationToken: cancellationToken));
    }

    /// <summary>A ConfigMap's keys and their bytes (data as UTF-8, binaryData as is).</summary>
    public static IReadOnlyDictionary<string, byte[]> Contents(V1ConfigMap configMap)
    {
        var contents = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var (key, value) in configMap.Data ?? new Dictionary<string, string>()) contents[key] = System.Text.Encoding.UTF8.GetBytes(value ?? "");
        foreach (var (key, value) in configMap.BinaryData ?? new Dictionary<string, byte[]>()) contents[key] = value ?? [];
        return contents;
    }

    /// <summary>
    /// A Secret's keys and their bytes (base64-decoded by the client). stringData is merged over data, as the API
    /// server does on write: an API that stored it as given still gives the pod the intended value.
    /// </summary>
    public static IReadOnlyDictionary<string, byte[]> Contents(V1Secret secret)
    {
        var contents = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var (key, value) in secret.Data ?? new Dictionary<string, byte[]>()) contents[key] = value ?? [];
        foreach (var (key, value) in secret.StringData ?? new Dictionary<string, string>()) contents[key] = System.Text.Encoding.UTF8.GetBytes(value ?? "");
        return contents;
    }

    private static async Task<T?> ReadAsync<T>(Func<Task<T>> read) where T : class
    {
        try
        {
            return await read();
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }
}
