using System.Text;
using System.Text.RegularExpressions;
using k8s.Models;

namespace WsPool.Local.Node;

/// <summary>
/// A container's environment as the kubelet builds it: <c>envFrom</c> sources in order, then <c>env</c> (later
/// entries win), with <c>value</c>, the downward API (<c>fieldRef</c>), <c>secretKeyRef</c> and
/// <c>configMapKeyRef</c> read through the API, optional references tolerated, and <c>$(VAR)</c> expanded from the
/// variables defined before. Added as the kubelet does: HOSTNAME (the pod's name). Added for local mode: POD_IP, the
/// pod's address, which commands given with --run and the built-in images bind to.
/// Not supported (the variable is left out and a warning is logged): <c>resourceFieldRef</c>, whose values depend on
/// cgroup limits this node does not set.
/// </summary>
public static partial class PodEnvironment
{
    public const string PodIPVariable = "POD_IP";

    [GeneratedRegex(@"^metadata\.(labels|annotations)\['(.+)'\]$")]
    private static partial Regex MapField();

    /// <summary>Resolves the environment of <paramref name="container"/>, in definition order.</summary>
    /// <exception cref="MissingSourceException">A required ConfigMap, Secret or key does not exist.</exception>
    internal static async Task<IReadOnlyList<KeyValuePair<string, string>>> ResolveAsync(V1Pod pod, V1Container container,
        string podIP, string hostIP, PodSources sources, Action<string> warn, CancellationToken cancellationToken)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var order = new List<string>();
        void Set(string name, string value)
        {
            if (!values.ContainsKey(name)) order.Add(name);
            values[name] = value;
        }

        Set("HOSTNAME", pod.Spec?.Hostname ?? pod.Metadata.Name);
        Set(PodIPVariable, podIP);

        foreach (var from in container.EnvFrom ?? [])
        {
            var prefix = from.Prefix ?? "";
            if (from.ConfigMapRef is { } cmRef)
            {
                var configMap = await sources.ConfigMapAsync(cmRef.Name, cancellationToken);
                if (configMap is null)
                {
                    if (cmRef.Optional == true) continue;
                    throw Missing($"configmap \"{cmRef.Name}\" not found");
                }
                foreach (var (key, bytes) in PodSources.Contents(configMap)) Set(prefix + key, Encoding.UTF8.GetString(bytes));
            }
            else if (from.SecretRef is { } secretRef)
            {
                var secret = await sources.SecretAsync(secretRef.Name, cancellationToken);
                if (secret is null)
                {
                    if (secretRef.Optional == true) continue;
                    throw Missing($"secret \"{secretRef.Name}\" not found");
                }
                foreach (var (key, bytes) in PodSources.Contents(secret)) Set(prefix + key, Encoding.UTF8.GetString(bytes));
            }
        }

        foreach (var variable in container.Env ?? [])
        {
            if (variable.ValueFrom is not { } source)
            {
                Set(variable.Name, Expand(variable.Value ?? "", name => values.GetValueOrDefault(name)));
                continue;
            }
            string? value;
            if (source.FieldRef is { } field)
            {
                value = Field(pod, field.FieldPath, podIP, hostIP);
                if (value is null)
                {
                    warn($"env {variable.Name}: fieldRef {field.FieldPath} is not supported by the local node; left out");
                    continue;
                }
            }
            else if (source.SecretKeyRef is { } secretKey)
            {
                var secret = await sources.SecretAsync(secretKey.Name, cancellationToken);
                if (secret is not null && PodSources.Contents(secret).TryGetValue(secretKey.Key, out var bytes)) value = Encoding.UTF8.GetString(bytes);
                else if (secretKey.Optional == true) continue;
                else throw Missing(secret is null ? $"secret \"{secretKey.Name}\" not found" : $"couldn't find key {secretKey.Key} in Secret {pod.Metadata.NamespaceProperty}/{secretKey.Name}");
            }
            else if (source.ConfigMapKeyRef is { } configKey)
            {
                var configMap = await sources.ConfigMapAsync(configKey.Name, cancellationToken);
                if (configMap is not null && PodSources.Contents(configMap).TryGetValue(configKey.Key, out var bytes)) value = Encoding.UTF8.GetString(bytes);
                else if (configKey.Optional == true) continue;
                else throw Missing(configMap is null ? $"configmap \"{configKey.Name}\" not found" : $"couldn't find key {configKey.Key} in ConfigMap {pod.Metadata.NamespaceProperty}/{configKey.Name}");
            }
            else
            {
                warn($"env {variable.Name}: resourceFieldRef is not supported by the local node; left out");
                continue;
            }
            Set(variable.Name, value);
        }
        return order.Select(name => KeyValuePair.Create(name, values[name])).ToList();
    }

    /// <summary>A downward API field, or null when this node does not support it.</summary>
    public static string? Field(V1Pod pod, string path, string podIP, string hostIP)
    {
        var meta = pod.Metadata;
        switch (path)
        {
            case "metadata.name": return meta.Name;
            case "metadata.namespace": return meta.NamespaceProperty;
            case "metadata.uid": return meta.Uid;
            case "spec.nodeName": return pod.Spec?.NodeName;
            case "spec.serviceAccountName": return pod.Spec?.ServiceAccountName ?? "default";
            case "status.podIP":
            case "status.podIPs": return podIP;
            case "status.hostIP":
            case "status.hostIPs": return hostIP;
        }
        var map = MapField().Match(path);
        if (!map.Success) return null;
        var entries = map.Groups[1].Value == "labels" ? meta.Labels : meta.Annotations;
        return entries?.TryGetValue(map.Groups[2].Value, out var value) == true ? value : "";
    }

    /// <summary>
    /// Kubernetes' <c>$(VAR)</c> expansion (env values, command and args): a defined variable is replaced, an
    /// undefined reference stays as written, and <c>$$</c> escapes a dollar.
    /// </summary>
    public static string Expand(string input, Func<string, string?> lookup)
    {
        if (!input.Contains('$')) return input;
        var output = new StringBuilder(input.Length);
        for (var i = 0; i < input.Length; i++)
        {
            if (input[i] != '$' || i + 1 >= input.Length)
            {
                output.Append(input[i]);
                continue;
            }
            var next = input[i + 1];
            if (next == '$')
            {
                output.Append('$');
                i++;
            }
            else if (next == '(' && input.IndexOf(')', i + 2) is var close and > 0)
            {
                var name = input[(i + 2)..close];
                output.Append(lookup(name) ?? $"$({name})");
                i = close;
            }
            else
            {
                output.Append('$');
            }
        }
        return output.ToString();
    }

    private static MissingSourceException Missing(string message) => new("CreateContainerConfigError", message);
}
