using System.Text.Json.Nodes;
using Json.Schema;
using WsPool.Install.Tests.Support;

namespace WsPool.Install.Tests.Chart;

/// <summary>The chart's values.yaml and values.schema.json, evaluated the way `helm install` does (JSON Schema).</summary>
internal static class ChartValues
{
    public static JsonSchema Schema { get; } = JsonSchema.FromText(File.ReadAllText(Repo.Chart("values.schema.json")));

    public static JsonObject Defaults() => (JsonObject)YamlJson.Parse(File.ReadAllText(Repo.Chart("values.yaml")))!;

    /// <summary>The defaults with one value set at a dotted path (creating objects on the way), like `--set a.b=c`.</summary>
    public static JsonObject With(string path, JsonNode? value)
    {
        var root = Defaults();
        var parts = path.Split('.');
        var node = root;
        foreach (var part in parts[..^1])
        {
            if (node[part] is not JsonObject child)
            {
                child = new JsonObject();
                node[part] = child;
            }
            node = child;
        }
        node[parts[^1]] = value;
        return root;
    }

    public static EvaluationResults Evaluate(JsonNode values) =>
        Schema.Evaluate(System.Text.Json.JsonDocument.Parse(values.ToJsonString()).RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });

    /// <summary>Every error as "instance-location: message", for assertion messages.</summary>
    public static IReadOnlyList<string> Errors(EvaluationResults results) =>
        (results.Details ?? [])
            .Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}"))
            .ToList();
}
