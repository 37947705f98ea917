using System.Text.Json.Nodes;
using WsPool.KubeEmulator.Errors;

namespace WsPool.KubeEmulator.Patching;

/// <summary>JSON Patch (RFC 6902) with JSON Pointers (RFC 6901): add, remove, replace, move, copy, test.</summary>
public static class JsonPatch
{
    public static JsonNode Apply(JsonNode target, JsonArray operations)
    {
        var doc = target.DeepClone();
        foreach (var opNode in operations)
        {
            if (opNode is not JsonObject op) throw Invalid("each operation must be an object");
            var name = op["op"]?.GetValue<string>() ?? throw Invalid("missing \"op\"");
            var path = op["path"]?.GetValue<string>() ?? throw Invalid("missing \"path\"");
            switch (name)
            {
                case "add": doc = Add(doc, path, Value(op)); break;
                case "remove": doc = Remove(doc, path, out _); break;
                case "replace":
                    doc = Remove(doc, path, out _);
                    doc = Add(doc, path, Value(op));
                    break;
                case "move":
                {
                    var from = op["from"]?.GetValue<string>() ?? throw Invalid("move needs \"from\"");
                    doc = Remove(doc, from, out var moved);
                    doc = Add(doc, path, moved);
                    break;
                }
                case "copy":
                {
                    var from = op["from"]?.GetValue<string>() ?? throw Invalid("copy needs \"from\"");
                    doc = Add(doc, path, Get(doc, from)?.DeepClone());
                    break;
                }
                case "test":
                    if (!JsonNode.DeepEquals(Get(doc, path), op["value"]))
                        throw new ApiError(422, "Invalid", $"the server rejected our request due to an error in our request: test operation failed at {path}");
                    break;
                default: throw Invalid($"unknown op \"{name}\"");
            }
        }
        return doc;
    }

    private static JsonNode? Value(JsonObject op) =>
        op.TryGetPropertyValue("value", out var v) ? v?.DeepClone() : throw Invalid("missing \"value\"");

    private static ApiError Invalid(string why) => ApiError.BadRequest($"invalid JSON patch: {why}");

    private static string[] Tokens(string pointer)
    {
        if (pointer.Length == 0) return [];
        if (pointer[0] != '/') throw Invalid($"path \"{pointer}\" must start with /");
        return pointer[1..].Split('/').Select(t => t.Replace("~1", "/").Replace("~0", "~")).ToArray();
    }

    private static JsonNode? Get(JsonNode doc, string pointer)
    {
        JsonNode? node = doc;
        foreach (var t in Tokens(pointer))
        {
            node = node switch
            {
                JsonObject o when o.TryGetPropertyValue(t, out var child) => child,
                JsonArray a when int.TryParse(t, out var i) && i >= 0 && i < a.Count => a[i],
                _ => throw new ApiError(422, "Invalid", $"the server rejected our request due to an error in our request: path {pointer} not found"),
            };
        }
        return node;
    }

    private static (JsonNode Parent, string Last) Parent(JsonNode doc, string pointer)
    {
        var tokens = Tokens(pointer);
        if (tokens.Length == 0) throw Invalid("the root cannot be a target");
        var parentPointer = "/" + string.Join('/', tokens[..^1].Select(t => t.Replace("~", "~0").Replace("/", "~1")));
        var parent = tokens.Length == 1 ? doc : Get(doc, parentPointer)
            ?? throw new ApiError(422, "Invalid", $"the server rejected our request due to an error in our request: parent of {pointer} is null");
        return (parent, tokens[^1]);
    }

    private static JsonNode Add(JsonNode doc, string pointer, JsonNode? value)
    {
        if (pointer.Length == 0) return value ?? throw Invalid("cannot replace the document with null");
        var (parent, last) = Parent(doc, pointer);
        switch (parent)
        {
            case JsonObject o:
                o[last] = value;
                break;
            case JsonArray a when last == "-":
                a.Add(value);
                break;
            case JsonArray a when int.TryParse(last, out var i) && i >= 0 && i <= a.Count:
                a.Insert(i, value);
                break;
            default:
                throw new ApiError(422, "Invalid", $"the server rejected our request due to an error in our request: cannot add at {pointer}");
        }
        return doc;
    }

    private static JsonNode Remove(JsonNode doc, string pointer, out JsonNode? removed)
    {
        var (parent, last) = Parent(doc, pointer);
        switch (parent)
        {
            case JsonObject o when o.TryGetPropertyValue(last, out removed):
                o.Remove(last);
                removed = removed?.DeepClone();
                return doc;
            case JsonArray a when int.TryParse(last, out var i) && i >= 0 && i < a.Count:
                removed = a[i]?.DeepClone();
                a.RemoveAt(i);
                return doc;
            default:
                throw new ApiError(422, "Invalid", $"the server rejected our request due to an error in our request: path {pointer} not found");
        }
    }
}
