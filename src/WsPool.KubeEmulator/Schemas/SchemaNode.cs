using System.Text.Json;
using System.Text.Json.Nodes;

namespace WsPool.KubeEmulator.Schemas;

/// <summary>
/// Read access to one node of a CRD's openAPIV3Schema (JSONSchemaProps as JSON). Every schema concept here reads the
/// JSON the client sent, so nothing the server would look at is lost in a conversion.
/// </summary>
public static class SchemaNode
{
    public static string? Type(this JsonObject s) => Text(s["type"]);
    public static string? Format(this JsonObject s) => Text(s["format"]);
    public static JsonObject? Properties(this JsonObject s) => s["properties"] as JsonObject;
    public static JsonObject? Property(this JsonObject s, string name) => s.Properties()?[name] as JsonObject;
    public static JsonObject? Items(this JsonObject s) => s["items"] as JsonObject;

    /// <summary>The schema of a map's values (additionalProperties as a schema); null for a boolean or none.</summary>
    public static JsonObject? AdditionalProperties(this JsonObject s) => s["additionalProperties"] as JsonObject;

    public static bool Flag(this JsonObject s, string name) =>
        s[name] is JsonValue v && v.GetValueKind() == JsonValueKind.True;

    public static bool IntOrString(this JsonObject s) => s.Flag("x-kubernetes-int-or-string");
    public static bool PreservesUnknownFields(this JsonObject s) => s.Flag("x-kubernetes-preserve-unknown-fields");
    public static bool Nullable(this JsonObject s) => s.Flag("nullable");
    public static bool EmbeddedResource(this JsonObject s) => s.Flag("x-kubernetes-embedded-resource");
    public static string? ListType(this JsonObject s) => Text(s["x-kubernetes-list-type"]);
    public static string? MapType(this JsonObject s) => Text(s["x-kubernetes-map-type"]);

    public static IReadOnlyList<string> ListMapKeys(this JsonObject s) => Strings(s["x-kubernetes-list-map-keys"]);
    public static IReadOnlyList<string> Required(this JsonObject s) => Strings(s["required"]);

    public static bool HasDefault(this JsonObject s) => s.TryGetPropertyValue("default", out var d) && d is not null;
    public static JsonNode? Default(this JsonObject s) => s["default"];

    public static JsonArray? Validations(this JsonObject s) => s["x-kubernetes-validations"] as JsonArray;

    /// <summary>The schema for a child value: a declared property, else the map value schema.</summary>
    public static JsonObject? ChildSchema(this JsonObject s, string name) => s.Property(name) ?? s.AdditionalProperties();

    public static string? Text(JsonNode? n) => n is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    public static IReadOnlyList<string> Strings(JsonNode? n) =>
        (n as JsonArray)?.Select(Text).OfType<string>().ToList() ?? [];

    /// <summary>The JSON kind of a value as Go's reflection names it for kube-openapi: boolean, string, integer, number, array, object, null.</summary>
    public static string KindOf(JsonNode? value) => value switch
    {
        null => "null",
        JsonObject => "object",
        JsonArray => "array",
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.String => "string",
            JsonValueKind.True or JsonValueKind.False => "boolean",
            JsonValueKind.Number => JsonNumbers.IsInteger(v) ? "integer" : "number",
            _ => "null",
        },
        _ => "null",
    };
}
