namespace WsPool.Core.Tests.Crd;

/// <summary>The example pools shipped in examples/: the valid ones beside the README, the broken ones in invalid/.</summary>
public static class Examples
{
    public static TheoryData<string> Valid() => Files("examples");

    public static TheoryData<string> Invalid() => Files("examples", "invalid");

    public static string Read(string relativePath) => File.ReadAllText(Path.Combine(RepositoryFiles.Root, relativePath));

    private static TheoryData<string> Files(params string[] folder)
    {
        var directory = Path.Combine([RepositoryFiles.Root, .. folder]);
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(directory, "*.yaml").Order(StringComparer.Ordinal))
            data.Add(Path.GetRelativePath(RepositoryFiles.Root, file));
        return data;
    }
}
