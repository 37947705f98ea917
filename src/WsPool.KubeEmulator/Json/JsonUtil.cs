using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace WsPool.KubeEmulator.Json;

/// <summary>Small helpers over System.Text.Json nodes, the emulator's storage format.</summary>
public static class JsonUtil
{
    /// <summary>Serialisation options: compact, and no HTML escaping (the API server does not escape either).</summary>
    public static readonly JsonSerializerOptions Compact = new()
    {
        WriteIndented = false,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static byte[] ToBytes(JsonNode node) => JsonSerializer.SerializeToUtf8Bytes(node, Compact);

    public static string ToJson(JsonNode? node) => node is null ? "null" : node.ToJsonString(Compact);

    public static JsonObject ParseObject(ReadOnlySpan<byte> utf8) =>
        JsonNode.Parse(utf8) as JsonObject ?? throw new JsonException("expected a JSON object");

    public static JsonNode? Clone(JsonNode? node) => node?.DeepClone();

    public static bool Equal(JsonNode? a, JsonNode? b) => JsonNode.DeepEquals(a, b);

    /// <summary>The object at <paramref name="name"/>, created when missing.</summary>
    public static JsonObject Obj(this JsonObject parent, string name)
    {
        if (parent[name] is JsonObject existing) return existing;
        var created = new JsonObject();
        parent[name] = created;
        return created;
    }

    public static string? Str(this JsonNode? node, string name) =>
        node is JsonObject o && o[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    public static long? Long(this JsonNode? node, string name) =>
        node is JsonObject o && o[name] is JsonValue v ? AsLong(v) : null;

    public static long? AsLong(JsonValue v)
    {
        if (v.TryGetValue<long>(out var l)) return l;
        if (v.TryGetValue<int>(out var i)) return i;
        if (v.TryGetValue<double>(out var d)) return (long)d;
        if (v.TryGetValue<JsonElement>(out var e) && e.ValueKind == JsonValueKind.Number && e.TryGetInt64(out var el)) return el;
        return null;
    }

    public static JsonObject Metadata(this JsonObject obj) => obj.Obj("metadata");

    /// <summary>Value at a dotted path such as <c>.spec.replicas</c> (leading dot optional), or null.</summary>
    public static JsonNode? AtPath(JsonObject root, string dottedPath)
    {
        JsonNode? node = root;
        foreach (var part in SplitPath(dottedPath))
        {
            if (node is not JsonObject o || !o.TryGetPropertyValue(part, out node)) return null;
        }
        return node;
    }

    /// <summary>Sets the value at a dotted path, creating intermediate objects.</summary>
    public static void SetPath(JsonObject root, string dottedPath, JsonNode? value)
    {
        var parts = SplitPath(dottedPath);
        var node = root;
        for (var i = 0; i < parts.Length - 1; i++) node = node.Obj(parts[i]);
        node[parts[^1]] = value;
    }

    public static string[] SplitPath(string dottedPath) =>
        dottedPath.Split('.', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>A string form of a scalar for selectors: strings as they are, other values as JSON.</summary>
    public static string? ScalarText(JsonNode? node) => node switch
    {
        null => null,
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        JsonValue v => v.ToJsonString(),
        _ => null,
    };

    public static IReadOnlyDictionary<string, string> StringMap(JsonNode? node)
    {
        if (node is not JsonObject o || o.Count == 0) return Empty;
        var map = new Dictionary<string, string>(o.Count, StringComparer.Ordinal);
        foreach (var (k, v) in o) map[k] = ScalarText(v) ?? "";
        return map;
    }

    private static readonly IReadOnlyDictionary<string, string> Empty = new Dictionary<string, string>();
}
