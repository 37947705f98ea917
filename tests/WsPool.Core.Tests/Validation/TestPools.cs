using k8s.Models;
using WsPool.Core.Api;
using WsPool.Testing;

namespace WsPool.Core.Tests.Validation;

/// <summary>Pools for tests: a small valid pool to break one field at a time, and the repository's examples.</summary>
public static class TestPools
{
    /// <summary>A valid pool with every default, a named container port and nothing optional set.</summary>
    public static WebSocketPool Valid() => new()
    {
        Metadata = new V1ObjectMeta { Name = "chat", NamespaceProperty = "apps" },
        Spec = new WebSocketPoolSpec
        {
            Template = new V1PodTemplateSpec
            {
                Spec = new V1PodSpec
                {
                    Containers =
                    [
                        new V1Container
                        {
                            Name = "app",
                            Image = "ghcr.io/example/app:1.0.0",
                            Ports = [new V1ContainerPort { Name = "ws", ContainerPort = 8080 }],
                        },
                    ],
                },
            },
        },
    };

    public static string RepositoryRoot => Repository.Root;

    public static string Example(string relativePath) => Repository.Path("examples", relativePath);

    /// <summary>The valid examples: every examples/*.yaml (the invalid ones live in examples/invalid/).</summary>
    public static TheoryData<string> ValidExamples() => new(Repository.ExampleFileNames());
}
