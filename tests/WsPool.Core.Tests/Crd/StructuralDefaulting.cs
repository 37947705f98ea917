using System.Text.Json.Nodes;

namespace WsPool.Core.Tests.Crd;

/// <summary>
/// Applies a structural schema's defaults to an object the way the API server does before validation: top-down, a
/// missing property with a default gets a copy of it, and a defaulted object then gets its own nested defaults.
/// </summary>
internal static class StructuralDefaulting
{
    public static JsonNode Apply(JsonObject schema, JsonNode instance)
    {
        var copy = instance.DeepClone();
        ApplyInPlace(schema, copy);
        return copy;
    }

    private static void ApplyInPlace(JsonObject schema, JsonNode? instance)
    {
        switch (instance)
        {
            case JsonObject obj when schema["properties"] is JsonObject properties:
                foreach (var (name, child) in properties)
                {
                    if (!obj.ContainsKey(name) && child!["default"] is { } fallback) obj[name] = fallback.DeepClone();
                    if (obj.ContainsKey(name)) ApplyInPlace((JsonObject)child!, obj[name]);
                }
                break;
            case JsonObject map when schema["additionalProperties"] is JsonObject values:
                foreach (var (_, value) in map) ApplyInPlace(values, value);
                break;
            case JsonArray list when schema["items"] is JsonObject items:
                foreach (var item in list) ApplyInPlace(items, item);
                break;
        }
    }
}
