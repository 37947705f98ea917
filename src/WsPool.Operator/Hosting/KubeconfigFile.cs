using k8s;
using k8s.Exceptions;
using k8s.KubeConfigModels;
using YamlDotNet.Core;
using YamlDotNet.Serialization;

namespace WsPool.Operator.Hosting;

/// <summary>
/// Reads a kubeconfig file into KubernetesClient's own model and lets the client build its configuration from it,
/// exactly as <see cref="KubernetesClientConfiguration.BuildConfigFromConfigFile(string, string, string, bool)"/>
/// does, with one difference: the YAML is read by a deserializer for this one type. The client's loader goes through
/// KubernetesYaml, whose first use maps every model type in the client; that costs the operator about 25 MB of
/// resident memory for its whole life, for a file read once at start-up (measured with make bench-operator).
/// </summary>
public static class KubeconfigFile
{
    private static readonly IDeserializer Yaml = new DeserializerBuilder().IgnoreUnmatchedProperties().Build();

    /// <param name="path">The kubeconfig; null: the client's default location (~/.kube/config).</param>
    /// <param name="context">The context to use; null: the file's current-context.</param>
    public static KubernetesClientConfiguration Load(string? path, string? context)
    {
        var file = new FileInfo(path ?? KubernetesClientConfiguration.KubeConfigDefaultLocation);
        if (!file.Exists) throw new FileNotFoundException($"kubeconfig {file.FullName} does not exist", file.FullName);
        K8SConfiguration config;
        try
        {
            config = Yaml.Deserialize<K8SConfiguration?>(File.ReadAllText(file.FullName)) ?? new K8SConfiguration();
        }
        catch (YamlException e)
        {
            throw new KubeConfigException($"kubeconfig {file.FullName} is not valid YAML: {e.Message}");
        }
        // Relative certificate and exec paths are resolved against the file's directory, as kubectl does.
        config.FileName = file.FullName;
        return KubernetesClientConfiguration.BuildConfigFromConfigObject(config, context);
    }
}
