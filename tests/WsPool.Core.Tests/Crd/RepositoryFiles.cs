using WsPool.Testing;

namespace WsPool.Core.Tests.Crd;

/// <summary>Files of the repository the tests run from (found by walking up to Operator.sln).</summary>
internal static class RepositoryFiles
{
    public static string Root => Repository.Root;

    public static string CrdPath => Path.Combine(Root, "crds", "websocketpools.wspool.dev.yaml");
}
