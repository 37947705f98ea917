using WsPool.Testing;

namespace WsPool.Install.Tests.Support;

/// <summary>Files of the repository the tests run from (found by walking up to Operator.sln).</summary>
internal static class Repo
{
    public static string Root => Repository.Root;

    public static string Path(params string[] parts) => Repository.Path(parts);

    public static string Read(params string[] parts) => File.ReadAllText(Path(parts));

    public static string Chart(params string[] parts) => Path(["charts", "wspool-operator", .. parts]);
}
