using System.Text.Json.Nodes;

namespace WsPool.Core.Tests.Crd;

/// <summary>
/// The openAPIV3Schema is structural (apiextensions.k8s.io/v1 rejects a CRD whose schema is not): every node is
/// typed, int-or-string is spelled the one allowed way, maps and objects do not mix, and every default is valid.
/// </summary>
public class CrdStructuralSchemaTests
{
    private static readonly IReadOnlyList<(string Path, JsonObject Node)> Nodes = CrdSchema.Walk(CrdSchema.OpenApi()).ToList();

    [Fact]
    public void Every_node_has_a_type_or_is_int_or_string_or_keeps_unknown_fields()
    {
        var untyped = Nodes
            .Where(n => n.Node["type"] is null)
            .Where(n => n.Node["x-kubernetes-int-or-string"]?.GetValue<bool>() != true)
            .Where(n => n.Node["x-kubernetes-preserve-unknown-fields"]?.GetValue<bool>() != true)
            .Select(n => n.Path);
        untyped.Should().BeEmpty();
    }

    [Fact]
    public void Int_or_string_nodes_have_no_type_and_exactly_the_integer_or_string_any_of()
    {
        var intOrString = Nodes.Where(n => n.Node["x-kubernetes-int-or-string"]?.GetValue<bool>() == true).ToList();
        intOrString.Should().NotBeEmpty();
        foreach (var (path, node) in intOrString)
        {
            node["type"].Should().BeNull(path);
            JsonNode.DeepEquals(node["anyOf"], JsonNode.Parse("""[{"type":"integer"},{"type":"string"}]""")).Should().BeTrue(path);
        }
    }

    [Fact]
    public void Any_of_is_used_only_for_int_or_string()
    {
        Nodes.Where(n => n.Node["anyOf"] is not null && n.Node["x-kubernetes-int-or-string"] is null)
            .Select(n => n.Path).Should().BeEmpty();
    }

    [Fact]
    public void No_node_has_additional_properties_beside_properties()
    {
        Nodes.Where(n => n.Node["properties"] is not null && n.Node["additionalProperties"] is not null)
            .Select(n => n.Path).Should().BeEmpty();
    }

    [Fact]
    public void Every_array_has_items_and_every_map_has_a_typed_value()
    {
        Nodes.Where(n => n.Node["type"]?.GetValue<string>() == "array" && n.Node["items"] is not JsonObject)
            .Select(n => n.Path).Should().BeEmpty();
        Nodes.Where(n => n.Node["additionalProperties"] is not null and not JsonObject)
            .Select(n => n.Path).Should().BeEmpty("additionalProperties must be a schema, not a boolean");
    }

    [Fact]
    public void Every_default_is_valid_against_its_own_node_after_nested_defaulting()
    {
        var defaults = Nodes.Where(n => n.Node.ContainsKey("default")).ToList();
        defaults.Should().HaveCountGreaterThan(40);
        foreach (var (path, node) in defaults)
        {
            var value = StructuralDefaulting.Apply(node, node["default"]!);
            OpenApiToJsonSchema.Errors(OpenApiToJsonSchema.Schema(node), value).Should().BeEmpty($"the default of {path} must satisfy its schema");
            CelRules.Violations(node, value).Should().BeEmpty($"the default of {path} must satisfy its CEL rules");
        }
    }

    [Fact]
    public void Required_properties_carry_no_default()
    {
        foreach (var (path, node) in Nodes.Where(n => n.Node["required"] is JsonArray))
            foreach (var name in ((JsonArray)node["required"]!).Select(r => r!.GetValue<string>()))
                node["properties"]![name]!["default"].Should().BeNull($"{path}.{name} is required, so a default would make it optional");
    }

    [Fact]
    public void List_map_keys_are_required_fields_of_the_items()
    {
        foreach (var (path, node) in Nodes.Where(n => n.Node["x-kubernetes-list-map-keys"] is JsonArray))
        {
            node["x-kubernetes-list-type"]!.GetValue<string>().Should().Be("map", path);
            var required = ((JsonArray)node["items"]!["required"]!).Select(r => r!.GetValue<string>());
            ((JsonArray)node["x-kubernetes-list-map-keys"]!).Select(k => k!.GetValue<string>()).Should().BeSubsetOf(required, path);
        }
    }

    [Fact]
    public void Every_field_of_the_spec_and_status_has_a_description_except_inside_the_pod_template()
    {
        // Fields of the Kubernetes pod template have no descriptions (those live in the client's XML docs).
        Nodes.Where(n => n.Path.StartsWith(".spec", StringComparison.Ordinal) || n.Path.StartsWith(".status", StringComparison.Ordinal))
            .Where(n => !n.Path.StartsWith(".spec.template.", StringComparison.Ordinal))
            .Where(n => !n.Path.EndsWith("[*]", StringComparison.Ordinal) && !n.Path.Contains("(anyOf", StringComparison.Ordinal))
            .Where(n => n.Node["description"] is null)
            .Select(n => n.Path).Should().BeEmpty();
    }

    [Fact]
    public void Defaults_belong_to_the_desired_state_only()
    {
        Nodes.Where(n => n.Node.ContainsKey("default"))
            .Where(n => !n.Path.StartsWith(".spec.", StringComparison.Ordinal) || n.Path.StartsWith(".spec.template", StringComparison.Ordinal))
            .Select(n => n.Path).Should().BeEmpty("the operator writes status whole and the API server defaults the pod template itself");
    }

    [Fact]
    public void Every_cel_rule_compiles()
    {
        var rules = CelRules.All(CrdSchema.OpenApi()).ToList();
        rules.Should().NotBeEmpty();
        foreach (var rule in rules)
        {
            rule.Message.Should().NotBeNullOrWhiteSpace(rule.Path);
            var compile = () => CelRules.Compile(rule.Text);
            compile.Should().NotThrow($"{rule.Path}: {rule.Text}");
        }
    }

    [Fact]
    public void A_malformed_cel_rule_does_not_compile()
    {
        var compile = () => CelRules.Compile("self.minReplicas <= ");
        compile.Should().Throw<Exception>();
    }
}
