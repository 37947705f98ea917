namespace WsPool.Testing;

/// <summary>
/// The checkout the tests run from: the nearest ancestor of the test binaries that holds Operator.sln. Tests and
/// benchmarks read checked-in files (examples, CRDs, the chart, golden files) through it.
/// </summary>
public static class Repository
{
    public static string Root { get; } = FindRoot();

    public static string Path(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);

    /// <summary>The valid examples' file names (examples/*.yaml; the invalid ones live in examples/invalid/), sorted.</summary>
    public static IReadOnlyList<string> ExampleFileNames() =>
        Directory.GetFiles(Path("examples"), "*.yaml")
            .Select(System.IO.Path.GetFileName)
            .OfType<string>()
            .Order(StringComparer.Ordinal)
            .ToList();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Operator.sln"))) return dir.FullName;
        throw new InvalidOperationException($"no Operator.sln above {AppContext.BaseDirectory}");
    }
}
