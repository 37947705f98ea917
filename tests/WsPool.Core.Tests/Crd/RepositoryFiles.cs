namespace WsPool.Core.Tests.Crd;

/// <summary>Files of the repository the tests run from (found by walking up to Operator.sln).</summary>
internal static class RepositoryFiles
{
    public static string Root { get; } = FindRoot();

    public static string CrdPath => Path.Combine(Root, "crds", "websocketpools.wspool.dev.yaml");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Operator.sln"))) return dir.FullName;
        throw new InvalidOperationException($"no Operator.sln above {AppContext.BaseDirectory}");
    }
}
