using System.Text.Json.Nodes;
using WsPool.KubeEmulator.Errors;
using WsPool.KubeEmulator.Json;
using WsPool.KubeEmulator.Patching;
using WsPool.KubeEmulator.Resources;
using WsPool.KubeEmulator.Storage;

namespace WsPool.KubeEmulator.Registry;

/// <summary>The scale subresource (autoscaling/v1 Scale) of Deployments, ReplicaSets and CRDs that declare one.</summary>
public sealed partial class ObjectRegistry
{
    public JsonObject GetScale(ResourceType type, string? ns, string name)
    {
        lock (_store.Sync) return ScaleOf(type, GetExisting(type, ns, name));
    }

    public JsonObject UpdateScale(ResourceType type, string? ns, string name, JsonObject scale, WriteOptions options)
    {
        lock (_store.Sync) return WriteScale(type, GetExisting(type, ns, name), scale, options);
    }

    public JsonObject PatchScale(ResourceType type, string? ns, string name, PatchKind kind, string body, WriteOptions options)
    {
        lock (_store.Sync)
        {
            var existing = GetExisting(type, ns, name);
            var current = ScaleOf(type, existing);
            var patched = kind switch
            {
                PatchKind.Json => JsonPatch.Apply(current, JsonNode.Parse(body) as JsonArray
                    ?? throw ApiError.BadRequest("a JSON patch must be an array")) as JsonObject,
                PatchKind.Merge or PatchKind.StrategicMerge => JsonMergePatch.Apply(current, JsonNode.Parse(body)) as JsonObject,
                _ => Apply.ServerSideApply.Merge(type, current, YamlToJson.Parse(body), "") as JsonObject,
            } ?? throw ApiError.BadRequest("the patched Scale is not an object");
            return WriteScale(type, existing, patched, options);
        }
    }

    private JsonObject WriteScale(ResourceType type, StoredObject existing, JsonObject scale, WriteOptions options)
    {
        var spec = RequireScale(type);
        var rv = scale["metadata"].Str("resourceVersion");
        if (!string.IsNullOrEmpty(rv) && rv != existing.ResourceVersion.ToString())
            throw ApiError.StaleObject(type.Group, type.Plural, existing.Name);
        var replicas = scale["spec"]?["replicas"] is JsonValue v ? JsonUtil.AsLong(v) : null;
        if (replicas is null or < 0)
            throw ApiError.Invalid("autoscaling", "Scale", existing.Name, ("spec.replicas", "Invalid value: must be greater than or equal to 0"));
        var candidate = existing.ToJsonObject();
        JsonUtil.SetPath(candidate, spec.SpecReplicasPath, replicas.Value);
        var stored = CommitUpdate(type, existing, candidate, "scale", options, apply: false);
        return ScaleOf(type, stored);
    }

    private static ScaleSpec RequireScale(ResourceType type) =>
        type.Scale ?? throw ApiError.NotFound(type.Group, $"{type.Plural}/scale", "scale");

    private static JsonObject ScaleOf(ResourceType type, StoredObject stored)
    {
        var spec = RequireScale(type);
        var obj = stored.ToJsonObject();
        var meta = obj.Metadata();
        var status = new JsonObject { ["replicas"] = Number(JsonUtil.AtPath(obj, spec.StatusReplicasPath)) };
        string? selector = null;
        if (spec.LabelSelectorPath is { } path) selector = JsonUtil.ScalarText(JsonUtil.AtPath(obj, path));
        else if (spec.SelectorObjectPath is { } objectPath) selector = SelectorText(JsonUtil.AtPath(obj, objectPath) as JsonObject);
        if (!string.IsNullOrEmpty(selector)) status["selector"] = selector;
        var scaleMeta = new JsonObject { ["name"] = stored.Name };
        if (stored.Namespace.Length > 0) scaleMeta["namespace"] = stored.Namespace;
        scaleMeta["uid"] = stored.Uid;
        scaleMeta["resourceVersion"] = stored.ResourceVersion.ToString();
        scaleMeta["creationTimestamp"] = meta["creationTimestamp"]?.DeepClone();
        return new JsonObject
        {
            ["kind"] = "Scale",
            ["apiVersion"] = "autoscaling/v1",
            ["metadata"] = scaleMeta,
            ["spec"] = new JsonObject { ["replicas"] = Number(JsonUtil.AtPath(obj, spec.SpecReplicasPath)) },
            ["status"] = status,
        };
    }

    private static long Number(JsonNode? node) => node is JsonValue v ? JsonUtil.AsLong(v) ?? 0 : 0;

    /// <summary>A LabelSelector object as the string form (matchLabels then matchExpressions).</summary>
    private static string? SelectorText(JsonObject? selector)
    {
        if (selector is null) return null;
        var parts = new List<string>();
        if (selector["matchLabels"] is JsonObject labels)
            parts.AddRange(labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={JsonUtil.ScalarText(l.Value)}"));
        if (selector["matchExpressions"] is JsonArray expressions)
        {
            foreach (var e in expressions.OfType<JsonObject>())
            {
                var key = e.Str("key");
                var values = (e["values"] as JsonArray)?.Select(JsonUtil.ScalarText) ?? [];
                parts.Add(e.Str("operator") switch
                {
                    "In" => $"{key} in ({string.Join(",", values)})",
                    "NotIn" => $"{key} notin ({string.Join(",", values)})",
                    "Exists" => key!,
                    _ => $"!{key}",
                });
            }
        }
        return string.Join(",", parts);
    }
}
