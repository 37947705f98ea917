using k8s;
using WsPool.Core.Api;
using WsPool.Testing;

namespace WsPool.Balancers.Tests.Support;

/// <summary>The repository's files (examples) and ready-made pools for tests.</summary>
public static class Repo
{
    public static string Root => Repository.Root;

    /// <summary>examples/*.yaml (the valid ones; examples/invalid/ is left out).</summary>
    public static IEnumerable<string> ExampleFiles() =>
        Directory.GetFiles(Path.Combine(Root, "examples"), "*.yaml").Order();

    public static WebSocketPool Load(string file) => KubernetesYaml.Deserialize<WebSocketPool>(File.ReadAllText(file), strict: true);

    /// <summary>A minimal valid pool with the given port; <paramref name="configure"/> adjusts the spec.</summary>
    public static WebSocketPool Pool(Action<WebSocketPoolSpec>? configure = null, string name = "chat", string ns = "demo")
    {
        var pool = new WebSocketPool
        {
            Metadata = new k8s.Models.V1ObjectMeta { Name = name, NamespaceProperty = ns },
        };
        pool.Spec.Template = new k8s.Models.V1PodTemplateSpec
        {
            Spec = new k8s.Models.V1PodSpec
            {
                Containers = [new k8s.Models.V1Container { Name = "app", Image = "ghcr.io/example/app:1.0.0" }],
            },
        };
        configure?.Invoke(pool.Spec);
        return pool;
    }
}
