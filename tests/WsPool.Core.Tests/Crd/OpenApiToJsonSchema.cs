using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace WsPool.Core.Tests.Crd;

/// <summary>
/// Converts a structural OpenAPI v3 schema (as a CRD holds it) to JSON Schema 2020-12 for JsonSchema.Net:
/// x-kubernetes-int-or-string becomes anyOf integer/string, and objects with properties reject unknown fields (as
/// `kubectl apply --validate=strict` and the API server's strict field validation do) unless they preserve them.
/// Keywords a CRD schema cannot carry make the conversion fail, so no validation is silently dropped.
/// </summary>
internal static class OpenApiToJsonSchema
{
    private static readonly HashSet<string> Annotations =
        ["description", "default", "example", "x-kubernetes-validations", "x-kubernetes-list-type",
         "x-kubernetes-list-map-keys", "x-kubernetes-map-type", "x-kubernetes-embedded-resource",
         "x-kubernetes-preserve-unknown-fields", "x-kubernetes-int-or-string"];

    private static readonly HashSet<string> CopiedAsIs =
        ["type", "required", "enum", "minimum", "maximum", "minLength", "maxLength", "minItems", "maxItems",
         "minProperties", "maxProperties", "pattern", "uniqueItems", "multipleOf"];

    public static JsonSchema Schema(JsonObject openApi) => JsonSchema.FromText(Convert(openApi).ToJsonString());

    public static JsonObject Convert(JsonObject node)
    {
        var result = new JsonObject();
        var intOrString = node["x-kubernetes-int-or-string"]?.GetValue<bool>() == true;
        var preserveUnknown = node["x-kubernetes-preserve-unknown-fields"]?.GetValue<bool>() == true;

        foreach (var (key, value) in node)
        {
            switch (key)
            {
                case "anyOf" when intOrString:
                    break; // replaced below, whatever its spelling
                case "anyOf" or "allOf" or "oneOf":
                    result[key] = new JsonArray(((JsonArray)value!).Select(v => (JsonNode)Convert((JsonObject)v!)).ToArray());
                    break;
                case "not" or "items" or "additionalProperties" when value is JsonObject schema:
                    result[key] = Convert(schema);
                    break;
                case "properties":
                    var properties = new JsonObject();
                    foreach (var (name, child) in (JsonObject)value!) properties[name] = Convert((JsonObject)child!);
                    result["properties"] = properties;
                    if (!preserveUnknown) result["additionalProperties"] = false;
                    break;
                case "format":
                    // int32/int64/double are carried by "type"; date-time is checked (RequireFormatValidation).
                    if (value!.GetValue<string>() is "date-time" or "byte") result["format"] = value.DeepClone();
                    break;
                case var _ when CopiedAsIs.Contains(key):
                    result[key] = value?.DeepClone();
                    break;
                case var _ when Annotations.Contains(key):
                    break;
                default:
                    throw new NotSupportedException($"the OpenAPI keyword {key} has no conversion");
            }
        }

        if (intOrString) result["anyOf"] = new JsonArray(new JsonObject { ["type"] = "integer" }, new JsonObject { ["type"] = "string" });
        return result;
    }

    /// <summary>The failures of an instance against the schema, one "location: keyword: error" line each; empty when valid.</summary>
    public static IReadOnlyList<string> Errors(JsonSchema schema, JsonNode instance)
    {
        using var document = JsonDocument.Parse(instance.ToJsonString());
        var results = schema.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.Hierarchical, RequireFormatValidation = true });
        var errors = new List<string>();
        Collect(results, errors);
        return errors.Distinct().ToList();
    }

    // Only failing subtrees count: the losing branch of an anyOf that passed (port: 8080 is no string) is no error.
    private static void Collect(EvaluationResults result, List<string> errors)
    {
        if (result.IsValid) return;
        if (result.Errors is not null)
            errors.AddRange(result.Errors.Select(e => $"{result.InstanceLocation}: {e.Key}: {e.Value}"));
        foreach (var child in result.Details ?? []) Collect(child, errors);
    }
}
