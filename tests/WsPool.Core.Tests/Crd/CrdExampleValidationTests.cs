using System.Text.Json.Nodes;
using Json.Schema;
using k8s;
using WsPool.Core.Api;

namespace WsPool.Core.Tests.Crd;

/// <summary>
/// The example pools meet the generated schema as an API server would check them: defaults applied, then the
/// OpenAPI schema (as JSON Schema, with strict unknown-field checks) and the CEL rules. The broken ones fail.
/// </summary>
public class CrdExampleValidationTests
{
    private static readonly JsonObject OpenApi = CrdSchema.OpenApi();
    private static readonly JsonSchema Schema = OpenApiToJsonSchema.Schema(OpenApi);

    private static IReadOnlyList<string> Problems(JsonNode pool)
    {
        var defaulted = StructuralDefaulting.Apply(OpenApi, pool);
        return [.. OpenApiToJsonSchema.Errors(Schema, defaulted), .. CelRules.Violations(OpenApi, defaulted)];
    }

    private static IReadOnlyList<JsonNode> Pools(string file) =>
        YamlToJson.Documents(Examples.Read(file)).Select(d => d!).ToList();

    [Theory]
    [MemberData(nameof(Examples.Valid), MemberType = typeof(Examples))]
    public void Valid_example_passes_the_schema_and_its_cel_rules(string file)
    {
        foreach (var pool in Pools(file))
            Problems(pool).Should().BeEmpty($"{file} is a valid example");
    }

    [Theory]
    [MemberData(nameof(Examples.Invalid), MemberType = typeof(Examples))]
    public void Invalid_example_is_rejected(string file)
    {
        foreach (var pool in Pools(file))
            Problems(pool).Should().NotBeEmpty($"{file} is an invalid example");
    }

    [Fact]
    public void Cookie_injection_is_rejected_by_the_cookie_name_pattern()
    {
        var errors = OpenApiToJsonSchema.Errors(Schema, Pools("examples/invalid/cookie-injection.yaml").Single());
        errors.Should().ContainSingle().Which.Should().StartWith("/spec/affinity/cookie/name: pattern");
    }

    [Fact]
    public void Three_mistakes_are_all_caught_by_pattern_and_cel_rules()
    {
        var problems = Problems(Pools("examples/invalid/three-mistakes.yaml").Single());
        problems.Should().HaveCount(3);
        problems.Should().Contain(p => p.StartsWith("/spec/timeouts/tunnel: pattern", StringComparison.Ordinal));
        // The server reports the messageExpression, which names the values that broke the rule.
        problems.Should().Contain(".spec: minReplicas must be less than or equal to maxReplicas");
        problems.Should().Contain(".spec.connections: target must be less than or equal to limit");
    }

    [Theory]
    [InlineData("spec.typo", "1")]
    [InlineData("spec.affinity.type", "\"Sticky\"")]
    [InlineData("spec.port", "true")]
    [InlineData("spec.maxReplicas", "0")]
    [InlineData("spec.timeouts.tunnel", "\"1 hour\"")]
    [InlineData("spec.template.spec.containers", "[{\"name\":\"a\",\"resources\":{\"limits\":{\"memory\":\"lots\"}}}]")]
    [InlineData("status.conditions", "[{\"type\":\"Ready\",\"status\":\"Yes\",\"lastTransitionTime\":\"2026-01-01T00:00:00Z\",\"reason\":\"Ok\",\"message\":\"\"}]")]
    [InlineData("status.lastScaleTime", "\"yesterday\"")]
    public void A_pool_with_one_bad_field_is_rejected(string path, string valueJson)
    {
        var pool = Pools("examples/chat.yaml").Single().DeepClone();
        var parent = pool;
        var names = path.Split('.');
        foreach (var name in names[..^1]) parent = parent[name] ??= new JsonObject();
        parent[names[^1]] = JsonNode.Parse(valueJson);
        Problems(pool).Should().NotBeEmpty($"{path} = {valueJson} is invalid");
    }

    [Fact]
    public void A_pool_without_a_spec_is_rejected()
    {
        Problems(JsonNode.Parse("""{"apiVersion":"wspool.dev/v1alpha1","kind":"WebSocketPool","metadata":{"name":"x"}}""")!)
            .Should().ContainSingle().Which.Should().Contain("spec");
    }

    /// <summary>
    /// The API server's defaulting (as the CRD describes it) and the C# initialisers give the same pool: for each
    /// example, default the YAML with the schema and compare with what the C# types make of the same YAML.
    /// </summary>
    [Theory]
    [MemberData(nameof(Examples.Valid), MemberType = typeof(Examples))]
    public void Crd_defaults_and_csharp_initialisers_agree_on_every_example(string file)
    {
        var yaml = Examples.Read(file);
        var byCsharp = JsonNode.Parse(KubernetesJson.Serialize(KubernetesYaml.Deserialize<WebSocketPool>(yaml, strict: true)));
        var byCrd = StructuralDefaulting.Apply(OpenApi, YamlToJson.Single(yaml)!);
        var byCrdThroughCsharp = JsonNode.Parse(KubernetesJson.Serialize(KubernetesJson.Deserialize<WebSocketPool>(byCrd.ToJsonString())));
        JsonNode.DeepEquals(byCrdThroughCsharp, byCsharp).Should().BeTrue(
            $"defaulting {file} by the CRD gave\n{byCrd.ToJsonString()}\nbut the C# types give\n{byCsharp!.ToJsonString()}");
        JsonNode.DeepEquals(byCrd, byCsharp).Should().BeTrue("the CRD default every field the C# types set");
    }

    [Fact]
    public void A_minimal_pool_defaults_to_the_csharp_defaults()
    {
        var minimal = JsonNode.Parse("""{"apiVersion":"wspool.dev/v1alpha1","kind":"WebSocketPool","metadata":{"name":"m"},"spec":{"template":{}}}""")!;
        var byCrd = StructuralDefaulting.Apply(OpenApi, minimal);
        var expected = new WebSocketPool { Metadata = new() { Name = "m" } };
        JsonNode.DeepEquals(byCrd, JsonNode.Parse(KubernetesJson.Serialize(expected))).Should().BeTrue(byCrd.ToJsonString());
    }
}
