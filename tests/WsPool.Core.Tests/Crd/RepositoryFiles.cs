using WsPool.Testing;

namespace WsPool.Core.Tests.Crd;

/// <summary>Files of the repository the tests run from (found by walking up to Operator.sln).</summary>
internal static class RepositoryFiles
{
    public static string Root => Repository.Root;

    public static string CrdPath => Path.Combine(Root, "crds", "websocketpools.wspool.dev.yaml");

    /// <summary>The CRD a real Kubernetes 1.36 API server rejected (issue 20), pinned as a regression case.</summary>
    public static string RejectedCrdFixturePath => Path.Combine(Root, "tests", "fixtures", "crd", "websocketpools-rejected-by-1.36.yaml");

    public static string RejectedCrdFixtureReadmePath => Path.Combine(Root, "tests", "fixtures", "crd", "README.md");
}
