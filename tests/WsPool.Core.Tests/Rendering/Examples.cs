using k8s;
using WsPool.Core.Api;
using WsPool.Testing;

namespace WsPool.Core.Tests.Rendering;

/// <summary>Paths into the repository and the example pools, for tests that read checked-in files.</summary>
internal static class Examples
{
    public static string RepositoryRoot => Repository.Root;

    public static string ExamplesDirectory => Path.Combine(RepositoryRoot, "examples");

    public static string GoldenDirectory => Path.Combine(RepositoryRoot, "tests", "WsPool.Core.Tests", "Rendering", "golden");

    /// <summary>The valid example files (examples/*.yaml; the invalid ones live in a subfolder).</summary>
    public static IEnumerable<string> ValidExampleNames() =>
        Directory.GetFiles(ExamplesDirectory, "*.yaml")
            .Select(Path.GetFileNameWithoutExtension)
            .OfType<string>()
            .Order(StringComparer.Ordinal);

    public static WebSocketPool Load(string exampleName) =>
        KubernetesYaml.Deserialize<WebSocketPool>(File.ReadAllText(Path.Combine(ExamplesDirectory, exampleName + ".yaml")), strict: true);
}
