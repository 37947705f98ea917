namespace WsPool.Install.Tests.Support;

/// <summary>Files of the repository the tests run from (found by walking up to Operator.sln).</summary>
internal static class Repo
{
    public static string Root { get; } = FindRoot();

    public static string Path(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);

    public static string Read(params string[] parts) => File.ReadAllText(Path(parts));

    public static string Chart(params string[] parts) => Path(["charts", "wspool-operator", .. parts]);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Operator.sln"))) return dir.FullName;
        throw new InvalidOperationException($"no Operator.sln above {AppContext.BaseDirectory}");
    }
}
