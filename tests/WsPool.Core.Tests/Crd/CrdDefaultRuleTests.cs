using System.Text.Json.Nodes;

namespace WsPool.Core.Tests.Crd;

/// <summary>
/// Issue 20: a real Kubernetes 1.36 API server rejected the CRD because it checks every default against its node's
/// CEL rules as written, without applying the nested defaults first, and six rules read fields that `default: {}`
/// lacks. <see cref="DefaultRuleCheck"/> repeats that check; the rejected CRD is pinned in tests/fixtures/crd.
/// </summary>
public class CrdDefaultRuleTests
{
    private const string Spec = DefaultRuleCheck.SchemaRoot + ".properties[spec]";

    /// <summary>The six errors the 1.36 server printed for the rejected CRD (tests/fixtures/crd/README.md lists them too).</summary>
    public static readonly string[] ServerErrorsOfTheRejectedCrd =
    [
        $"{Spec}.properties[affinity].default: no such key: type evaluating rule: header is required when type is Header",
        $"{Spec}.properties[affinity].default: no such key: type evaluating rule: queryParam is required when type is QueryParam",
        $"{Spec}.properties[balancer].default: no such key: type evaluating rule: ingress is required when type is Ingress",
        $"{Spec}.properties[balancer].default: no such key: type evaluating rule: gateway is required when type is Gateway",
        $"{Spec}.properties[broker].default: no such key: type evaluating rule: external is required when type is External",
        $"{Spec}.properties[connections].default: no such key: target evaluating rule: target must be less than or equal to limit",
    ];

    private static JsonNode RejectedCrd() => YamlToJson.Single(File.ReadAllText(RepositoryFiles.RejectedCrdFixturePath))!;

    [Fact]
    public void The_check_finds_exactly_the_six_errors_the_server_reported_for_the_rejected_crd() =>
        DefaultRuleCheck.ErrorsInCrd(RejectedCrd()).Should().BeEquivalentTo(ServerErrorsOfTheRejectedCrd);

    [Fact]
    public void Every_default_of_the_generated_crd_keeps_its_schema_and_cel_rules_as_written() =>
        DefaultRuleCheck.ErrorsInCrd(CrdSchema.Crd()).Should().BeEmpty(
            "the API server checks each default as written, without nested defaults, and refuses the CRD on any error");

    [Fact]
    public void The_fixture_readme_lists_the_six_expected_errors()
    {
        var readme = File.ReadAllText(RepositoryFiles.RejectedCrdFixtureReadmePath);
        foreach (var error in ServerErrorsOfTheRejectedCrd)
        {
            var (path, detail) = (error[..error.IndexOf(": ", StringComparison.Ordinal)], error[(error.IndexOf(": ", StringComparison.Ordinal) + 2)..]);
            readme.Should().Contain(path).And.Contain(detail);
        }
    }
}
