using System.Text;
using System.Text.RegularExpressions;
using k8s.Models;

namespace WsPool.Core.Tests.Rendering;

/// <summary>
/// What the kubelet does with a container's env and arguments, for tests that run a rendered container's command
/// for real: resolve secretKeyRef and fieldRef, then expand <c>$(VAR)</c> from variables defined earlier in the
/// list (an unknown reference stays as written, and <c>$$</c> escapes a dollar), as documented for container env.
/// </summary>
internal static partial class KubeletEnv
{
    [GeneratedRegex(@"\$\$|\$\(([A-Za-z_][A-Za-z0-9_]*)\)")]
    private static partial Regex Reference();

    public static Dictionary<string, string> Resolve(V1Container container, IEnumerable<V1Secret> secrets, string podName)
    {
        var byName = secrets.ToDictionary(s => s.Metadata.Name);
        var resolved = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var variable in container.Env ?? [])
        {
            string value;
            if (variable.ValueFrom?.SecretKeyRef is { } secretRef)
                value = Encoding.UTF8.GetString(byName[secretRef.Name].Data[secretRef.Key]);
            else if (variable.ValueFrom?.FieldRef is { FieldPath: "metadata.name" })
                value = podName;
            else
                value = Expand(variable.Value ?? "", resolved);
            resolved[variable.Name] = value;
        }
        return resolved;
    }

    public static string Expand(string text, IReadOnlyDictionary<string, string> env) =>
        Reference().Replace(text, m => m.Value == "$$" ? "$" : env.TryGetValue(m.Groups[1].Value, out var v) ? v : m.Value);
}
