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
    private static IEnumerable<JsonObject> Instances(JsonObject node, IReadOnlyList<string> fields)
    {
        var properties = (JsonObject)node["properties"]!;
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
}
