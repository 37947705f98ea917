using k8s;
using WsPool.Core.Api;

namespace WsPool.Core.Tests.Rendering;

/// <summary>Paths into the repository and the example pools, for tests that read checked-in files.</summary>
internal static class Examples
{
    /// <summary>The repository root: the nearest ancestor of the test binaries that holds Operator.sln.</summary>
    public static string RepositoryRoot { get; } = FindRoot();

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

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Operator.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException($"no Operator.sln above {AppContext.BaseDirectory}");
    }
}
