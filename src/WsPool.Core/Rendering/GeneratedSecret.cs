using System.Text;
using k8s.Models;

namespace WsPool.Core.Rendering;

/// <summary>
/// One random value a pool's objects need (the Redis password, the dynamic-cookie key), by Secret and key. Rendering
/// is pure and cannot invent it: the operator generates it once, keeps it in that Secret, and passes it back in
/// <see cref="RenderOptions.GeneratedValues"/> on every render; it is never rotated.
/// </summary>
public sealed record GeneratedValue(string Secret, string Key)
{
    public override string ToString() => $"{Secret}/{Key}";
}

/// <summary>The Secret that holds a generated value.</summary>
public static class GeneratedSecret
{
    /// <summary>
    /// With the value known, the Secret carries it. Without it (offline rendering), the Secret is rendered empty and
    /// annotated with the key to generate, so `wspool render` stays deterministic and says what the operator adds.
    /// </summary>
    public static V1Secret Render(PoolNames names, GeneratedValue value, RenderOptions options, string component)
    {
        var secret = new V1Secret
        {
            ApiVersion = "v1",
            Kind = V1Secret.KubeKind,
            Metadata = new V1ObjectMeta
            {
                Name = value.Secret,
                NamespaceProperty = names.Namespace,
                Labels = PoolLabels.For(names.Pool, component),
            },
            Type = "Opaque",
        };
        if (options.GeneratedValues?.TryGetValue(value, out var text) == true)
            secret.Data = new Dictionary<string, byte[]> { [value.Key] = Encoding.UTF8.GetBytes(text) };
        else
            secret.Metadata.Annotations = new Dictionary<string, string> { [PoolAnnotations.GenerateKeys] = value.Key };
        return secret;
    }
}
