using System.Text.Json.Nodes;

namespace WsPool.KubeEmulator.Schemas;

/// <summary>
/// Drops fields a structural schema does not declare, as the API server does when it decodes a custom resource
/// (pruning/algorithm.go): at the resource root apiVersion, kind and metadata stay, x-kubernetes-preserve-unknown-fields
/// keeps a subtree (its declared children are still pruned), and each dropped field's path is returned, sorted, in the
/// form of the server's warnings (<c>spec.bogus</c>, <c>spec.ports[0].bogus</c>). Null values of fields that are neither
/// nullable nor defaulted are dropped as well (prunenulls.go).
/// </summary>
public static class Pruner
{
    private static readonly HashSet<string> MetaFields = ["apiVersion", "kind", "metadata"];

    /// <summary>Known ObjectMeta fields: others are unknown to the server's typed metadata and dropped.</summary>
    private static readonly HashSet<string> ObjectMetaFields =
    [
        "name", "generateName", "namespace", "selfLink", "uid", "resourceVersion", "generation", "creationTimestamp",
        "deletionTimestamp", "deletionGracePeriodSeconds", "labels", "annotations", "ownerReferences", "finalizers",
        "managedFields",
    ];

    public static IReadOnlyList<string> Prune(JsonObject obj, JsonObject? schema, bool isResourceRoot = true)
    {
        var unknown = new List<string>();
        if (isResourceRoot && obj["metadata"] is JsonObject meta)
            foreach (var key in meta.Select(p => p.Key).ToList())
                if (!ObjectMetaFields.Contains(key))
                {
                    unknown.Add($"metadata.{key}");
                    meta.Remove(key);
                }
        PruneNode(obj, schema, "", isResourceRoot, unknown);
        unknown.Sort(StringComparer.Ordinal);
        return unknown;
    }

    private static void PruneNode(JsonNode? x, JsonObject? s, string path, bool embedded, List<string> unknown)
    {
        if (s is not null && s.PreservesUnknownFields())
        {
            SkipPrune(x, s, path, embedded, unknown);
            return;
        }
        switch (x)
        {
            case JsonObject map:
                foreach (var (key, value) in map.ToList())
                {
                    if ((embedded || s?.EmbeddedResource() == true) && MetaFields.Contains(key)) continue;
                    if (s?.Property(key) is { } prop) PruneNode(value, prop, Join(path, key), false, unknown);
                    else if (s?.AdditionalProperties() is { } values) PruneNode(value, values, Join(path, key), false, unknown);
                    else if (s is not null && s["additionalProperties"] is JsonValue) { /* additionalProperties: true keeps any value */ }
                    else
                    {
                        if (!MetaFields.Contains(key) || path.Length > 0) unknown.Add(Join(path, key));
                        map.Remove(key);
                    }
                }
                break;
            case JsonArray list:
                for (var i = 0; i < list.Count; i++) PruneNode(list[i], s?.Items(), $"{path}[{i}]", false, unknown);
                break;
        }
    }

    private static void SkipPrune(JsonNode? x, JsonObject s, string path, bool embedded, List<string> unknown)
    {
        switch (x)
        {
            case JsonObject map:
                foreach (var (key, value) in map.ToList())
                {
                    if ((embedded || s.EmbeddedResource()) && MetaFields.Contains(key)) continue;
                    if (s.Property(key) is { } prop) PruneNode(value, prop, Join(path, key), false, unknown);
                    else if (s.AdditionalProperties() is { } values) PruneNode(value, values, Join(path, key), false, unknown);
                }
                break;
            case JsonArray list when s.Items() is { } items:
                for (var i = 0; i < list.Count; i++) SkipPrune(list[i], items, $"{path}[{i}]", false, unknown);
                break;
        }
    }

    private static string Join(string path, string key) => path.Length == 0 ? key : $"{path}.{key}";

    /// <summary>Removes null values of fields that are neither nullable nor have a default (they would fail as null).</summary>
    public static void DropNonNullableNulls(JsonNode? x, JsonObject? s)
    {
        switch (x)
        {
            case JsonObject map:
                foreach (var (key, value) in map.ToList())
                {
                    var child = s?.ChildSchema(key);
                    if (value is null && child is not null && !child.Nullable() && !child.HasDefault()) map.Remove(key);
                    else DropNonNullableNulls(value, child);
                }
                break;
            case JsonArray list:
                foreach (var item in list) DropNonNullableNulls(item, s?.Items());
                break;
        }
    }
}
