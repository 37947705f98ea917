using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace WsPool.Core.Tests.Crd;

/// <summary>
/// The CEL rules of the generated CRD hold up on every value the API server may run them on, not only on fully
/// defaulted objects: a default as written, or an object without an optional field.
/// </summary>
public partial class CrdCelRuleTests
{
    private static readonly IReadOnlyList<(string Path, JsonObject Node)> NodesWithRules =
        CrdSchema.Walk(CrdSchema.OpenApi()).Where(n => n.Node["x-kubernetes-validations"] is JsonArray).ToList();

    [Fact]
    public void Every_rule_evaluates_without_error_whichever_optional_fields_it_reads_are_absent()
    {
        NodesWithRules.Should().NotBeEmpty();
        NodesWithRules.SelectMany(n => ErrorsWithAbsentFields(n.Path, n.Node))
            .Should().BeEmpty("a rule must guard with has() every field that may be absent");
    }

    [Theory]
    [InlineData("self.target <= self.limit", "[]", true)]
    [InlineData("!has(self.target) || !has(self.limit) || self.target <= self.limit", "[]", false)]
    [InlineData("self.target <= self.limit", "[\"target\",\"limit\"]", false)]
    [InlineData("self.type != 'Header' || has(self.header)", "[]", true)]
    public void The_absent_field_check_catches_an_unguarded_read_of_an_optional_field(string rule, string requiredJson, bool fails)
    {
        var node = JsonNode.Parse("""
            {"type":"object","properties":{"target":{"type":"integer"},"limit":{"type":"integer"},
             "type":{"type":"string","enum":["None","Header"]},"header":{"type":"object"}}}
            """)!.AsObject();
        node["required"] = JsonNode.Parse(requiredJson);
        node["x-kubernetes-validations"] = new JsonArray(new JsonObject { ["rule"] = rule });
        ErrorsWithAbsentFields("", node).Should().HaveCount(fails ? 1 : 0);
    }

    [Fact]
    public void Every_field_path_names_a_field_of_the_rules_object()
    {
        // The API server refuses the CRD when a fieldPath does not resolve against the node's schema.
        var rules = CelRules.All(CrdSchema.OpenApi()).Where(r => r.FieldPath is not null).ToList();
        rules.Should().NotBeEmpty();
        foreach (var rule in rules)
        {
            rule.FieldPath.Should().MatchRegex(@"^(\.[A-Za-z_][A-Za-z0-9_]*)+$", rule.Path);
            JsonObject? node = NodesWithRules.Single(n => n.Path == rule.Path).Node;
            foreach (var name in rule.FieldPath![1..].Split('.'))
                node = node?["properties"]?[name] as JsonObject;
            node.Should().NotBeNull($"{rule.Path}: {rule.FieldPath} must name a property");
        }
    }

    [Fact]
    public void Every_reason_is_one_the_api_server_accepts() =>
        CelRules.All(CrdSchema.OpenApi()).Select(r => r.Reason).Where(r => r is not null)
            .Should().NotBeEmpty().And.OnlyContain(r => r == "FieldValueInvalid" || r == "FieldValueForbidden" || r == "FieldValueRequired" || r == "FieldValueDuplicate");

    /// <summary>
    /// The API server estimates a rule's worst-case cost from the bounds of what it reads: a string without maxLength
    /// (or enum), a list without maxItems or a map without maxProperties counts as big as a whole request, and an
    /// over-budget estimate gets the CRD refused. So every such value a rule or messageExpression reads is bounded.
    /// </summary>
    [Fact]
    public void Every_string_list_or_map_a_rule_reads_is_bounded()
    {
        var unbounded = new List<string>();
        foreach (var (path, node) in NodesWithRules)
        {
            if (Unbounded(node) is { } selfProblem) unbounded.Add($"{path} (self): {selfProblem}");
            foreach (var rule in ((JsonArray)node["x-kubernetes-validations"]!).Select(r => CelRules.Rule.Of(path, r!)))
                foreach (var expression in new[] { rule.Text, rule.MessageExpression }.OfType<string>())
                    foreach (Match chain in SelfChain().Matches(expression))
                    {
                        var current = node;
                        foreach (var name in chain.Value.Split('.').Skip(1))
                        {
                            current = current["properties"]?[name] as JsonObject;
                            if (current is null) break;
                            if (Unbounded(current) is { } problem) unbounded.Add($"{path}: {chain.Value} in {expression}: {problem}");
                        }
                    }
        }
        unbounded.Should().BeEmpty();
    }

    [Theory]
    [InlineData("""{"type":"string"}""", false)]
    [InlineData("""{"type":"string","maxLength":63}""", true)]
    [InlineData("""{"type":"string","enum":["A","B"]}""", true)]
    [InlineData("""{"type":"array","items":{"type":"string","maxLength":5}}""", false)]
    [InlineData("""{"type":"array","maxItems":4,"items":{"type":"string"}}""", false)]
    [InlineData("""{"type":"array","maxItems":4,"items":{"type":"string","maxLength":5}}""", true)]
    [InlineData("""{"type":"object","additionalProperties":{"type":"integer"}}""", false)]
    [InlineData("""{"type":"object","maxProperties":8,"additionalProperties":{"type":"integer"}}""", true)]
    [InlineData("""{"type":"integer"}""", true)]
    public void The_bound_check_tells_bounded_from_unbounded(string schema, bool bounded) =>
        (Unbounded(JsonNode.Parse(schema)!.AsObject()) is null).Should().Be(bounded);

    /// <summary>Why a value of this schema has no size bound the server's cost estimate can use, or null.</summary>
    private static string? Unbounded(JsonObject node) => node["type"]?.GetValue<string>() switch
    {
        "string" when node["maxLength"] is null && node["enum"] is null => "a string without maxLength",
        "array" when node["maxItems"] is null => "a list without maxItems",
        "array" => node["items"] is JsonObject items ? Unbounded(items) : null,
        "object" when node["additionalProperties"] is JsonObject && node["maxProperties"] is null => "a map without maxProperties",
        "object" when node["additionalProperties"] is JsonObject values => Unbounded(values),
        _ => null,
    };

    /// <summary>The first error each rule of the node raises on an object that lacks some of the fields it reads.</summary>
    private static IEnumerable<string> ErrorsWithAbsentFields(string path, JsonObject node)
    {
        foreach (var rule in ((JsonArray)node["x-kubernetes-validations"]!).Select(r => CelRules.Rule.Of(path, r!)))
            foreach (var self in Instances(node, FieldsReadBy(rule.Text)))
            {
                var outcome = CelRules.Run(rule.Text, self);
                if (!outcome.Failed) continue;
                yield return $"{path}: {rule.Text} on {self.ToJsonString()}: {outcome.Error}";
                break;
            }
    }

    /// <summary>The properties of self a rule reads (self.name), in order of first use.</summary>
    internal static IReadOnlyList<string> FieldsReadBy(string expression) =>
        SelfField().Matches(expression).Select(m => m.Groups[1].Value).Distinct().ToList();

    /// <summary>
    /// Objects with every combination of the given fields present or absent (a required field is always present),
    /// each present field taking each of a few sample values from its schema.
    /// </summary>
    private static IEnumerable<JsonNode> Instances(JsonObject node, IReadOnlyList<string> fields)
    {
        // A rule on a scalar (a duration's bound) reads self itself: its samples, and a value outside its pattern,
        // which the API server still runs the rule on.
        if (node["properties"] is not JsonObject properties) return [.. Samples(node), JsonValue.Create("not a duration")];
        var required = (node["required"] as JsonArray)?.Select(r => r!.GetValue<string>()).ToHashSet() ?? [];
        IEnumerable<JsonObject> partial = [new JsonObject()];
        foreach (var field in fields)
        {
            var samples = Samples((JsonObject)properties[field]!);
            var optional = !required.Contains(field);
            partial = partial.SelectMany(o =>
                (optional ? [o] : Array.Empty<JsonObject>())
                    .Concat(samples.Select(v => { var copy = (JsonObject)o.DeepClone(); copy[field] = v.DeepClone(); return copy; })))
                .ToList();
        }
        return partial;
    }

    private static IReadOnlyList<JsonNode> Samples(JsonObject property)
    {
        if (property["enum"] is JsonArray values) return values.Select(v => v!).ToList();
        return property["type"]?.GetValue<string>() switch
        {
            "integer" or "number" =>
            [
                JsonValue.Create(property["minimum"]?.GetValue<long>() ?? 0),
                JsonValue.Create(property["maximum"]?.GetValue<long>() ?? 100),
            ],
            "boolean" => [JsonValue.Create(true), JsonValue.Create(false)],
            "string" => [property["default"]?.DeepClone() ?? JsonValue.Create("x")],
            "array" => [new JsonArray()],
            _ => [new JsonObject()],
        };
    }

    [GeneratedRegex(@"\bself\.([A-Za-z_][A-Za-z0-9_]*)")]
    private static partial Regex SelfField();

    /// <summary>A chain of field selections from self: self.gateway.parentRefs.</summary>
    [GeneratedRegex(@"\bself(\.[A-Za-z_][A-Za-z0-9_]*)+")]
    private static partial Regex SelfChain();
}
