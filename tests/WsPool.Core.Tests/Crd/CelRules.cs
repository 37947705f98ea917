using System.Text.Json;
using System.Text.Json.Nodes;
using Cel;

namespace WsPool.Core.Tests.Crd;

/// <summary>
/// Evaluates a schema's x-kubernetes-validations (CEL) against an object, with <c>self</c> bound to the value at
/// each node, as the API server does after defaulting. Uses the Cel package (a C# implementation of cel-spec).
/// </summary>
internal static class CelRules
{
    private static readonly CelEnvironment Environment = new(null, null);

    /// <summary>Every rule of the schema with the path of its node.</summary>
    public static IEnumerable<(string Path, string Rule, string? Message)> All(JsonObject schema) =>
        CrdSchema.Walk(schema)
            .Where(n => n.Node["x-kubernetes-validations"] is JsonArray)
            .SelectMany(n => ((JsonArray)n.Node["x-kubernetes-validations"]!)
                .Select(r => (n.Path, r!["rule"]!.GetValue<string>(), r["message"]?.GetValue<string>())));

    /// <summary>"path: message" for every rule the object breaks; empty when it keeps them all.</summary>
    public static IReadOnlyList<string> Violations(JsonObject schema, JsonNode instance)
    {
        var violations = new List<string>();
        Visit(schema, instance, "", violations);
        return violations;
    }

    public static void Compile(string rule) => Environment.Compile(rule);

    public static bool Evaluate(string rule, JsonNode self) =>
        Environment.Compile(rule)(new Dictionary<string, object?> { ["self"] = ToCel(self) }) is true;

    private static void Visit(JsonObject schema, JsonNode? instance, string path, List<string> violations)
    {
        if (instance is null) return;
        if (schema["x-kubernetes-validations"] is JsonArray rules)
            foreach (var rule in rules)
                if (!Evaluate(rule!["rule"]!.GetValue<string>(), instance))
                    violations.Add($"{path}: {rule["message"]?.GetValue<string>() ?? rule["rule"]!.GetValue<string>()}");

        switch (instance)
        {
            case JsonObject obj when schema["properties"] is JsonObject properties:
                foreach (var (name, child) in properties)
                    if (obj.TryGetPropertyValue(name, out var value)) Visit((JsonObject)child!, value, $"{path}.{name}", violations);
                break;
            case JsonObject map when schema["additionalProperties"] is JsonObject values:
                foreach (var (key, value) in map) Visit(values, value, $"{path}.{key}", violations);
                break;
            case JsonArray list when schema["items"] is JsonObject items:
                for (var i = 0; i < list.Count; i++) Visit(items, list[i], $"{path}[{i}]", violations);
                break;
        }
    }

    private static object? ToCel(JsonNode? node) => node switch
    {
        null => null,
        JsonObject obj => obj.ToDictionary(p => p.Key, p => ToCel(p.Value)),
        JsonArray list => list.Select(ToCel).ToList(),
        JsonValue value => value.GetValueKind() switch
        {
            JsonValueKind.String => value.GetValue<string>(),
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.Number when value.TryGetValue<long>(out var whole) => whole,
            JsonValueKind.Number => value.GetValue<double>(),
            _ => null,
        },
        _ => null,
    };
}
