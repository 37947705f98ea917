using System.Text.Json.Nodes;

namespace WsPool.KubeEmulator.Patching;

/// <summary>JSON Merge Patch (RFC 7386): objects merge recursively, null removes a member, anything else replaces.</summary>
public static class JsonMergePatch
{
    public static JsonNode? Apply(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject patchObject) return patch?.DeepClone();
        var result = target as JsonObject is { } t ? (JsonObject)t.DeepClone() : new JsonObject();
        foreach (var (name, value) in patchObject)
        {
            if (value is null) result.Remove(name);
            else result[name] = Apply(result.TryGetPropertyValue(name, out var current) ? current : null, value);
        }
        return result;
    }
}
