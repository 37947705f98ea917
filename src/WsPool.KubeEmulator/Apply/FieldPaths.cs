using System.Text.Json.Nodes;
using WsPool.KubeEmulator.Json;
using WsPool.KubeEmulator.Resources;

namespace WsPool.KubeEmulator.Apply;

/// <summary>Builds field sets from objects and reads or removes values at field-set paths.</summary>
public static class FieldPaths
{
    /// <summary>Metadata the server owns: never part of any manager's field set.</summary>
    private static readonly HashSet<string> ServerMetadata =
    [
        "name", "namespace", "uid", "resourceVersion", "generation", "creationTimestamp", "managedFields",
        "deletionTimestamp", "deletionGracePeriodSeconds", "selfLink",
    ];

    /// <summary>Which part of an object a write manages: the main resource (without status when status is a subresource) or status.</summary>
    public enum Scope { Main, Status }

    /// <summary>The fields <paramref name="obj"/> sets, within <paramref name="scope"/>.</summary>
    public static FieldSet Of(ResourceType type, JsonObject obj, Scope scope)
    {
        var set = new FieldSet();
        foreach (var (name, value) in obj)
        {
            if (name is "apiVersion" or "kind") continue;
            if (scope == Scope.Status && name != "status") continue;
            if (scope == Scope.Main && name == "status" && type.HasStatus) continue;
            if (name == "metadata" && value is JsonObject meta)
            {
                foreach (var (m, mv) in meta)
                {
                    if (ServerMetadata.Contains(m)) continue;
                    Walk(type, mv, $"metadata.{m}", ["f:metadata", "f:" + m], set);
                }
                continue;
            }
            Walk(type, value, name, ["f:" + name], set);
        }
        return set;
    }

    private static void Walk(ResourceType type, JsonNode? value, string fieldPath, string[] path, FieldSet set)
    {
        switch (value)
        {
            case JsonObject o:
                if (o.Count == 0 || IsGranularMap(type, fieldPath)) set.Insert(path);
                foreach (var (name, child) in o) Walk(type, child, $"{fieldPath}.{name}", [.. path, "f:" + name], set);
                break;
            case JsonArray a:
                var listType = type.ListTypes.Resolve(type.Plural, fieldPath);
                if (listType.Kind == ListKind.Map && a.All(i => i is JsonObject))
                {
                    foreach (var item in a.Cast<JsonObject>())
                    {
                        string[] itemPath = [.. path, KeyElement(item, listType.Keys)];
                        set.Insert(itemPath);
                        foreach (var (name, child) in item) Walk(type, child, $"{fieldPath}.{name}", [.. itemPath, "f:" + name], set);
                    }
                }
                else if (listType.Kind == ListKind.Set)
                {
                    foreach (var item in a) set.Insert([.. path, "v:" + JsonUtil.ToJson(item)]);
                }
                else set.Insert(path);
                break;
            default:
                set.Insert(path);
                break;
        }
    }

    /// <summary>Maps with arbitrary keys (as opposed to structs) are themselves members, as in structured-merge-diff.</summary>
    private static bool IsGranularMap(ResourceType type, string fieldPath)
    {
        var last = fieldPath[(fieldPath.LastIndexOf('.') + 1)..];
        return last switch
        {
            "labels" or "annotations" or "matchLabels" or "nodeSelector" or "limits" or "requests" => true,
            "data" or "binaryData" or "stringData" => !type.IsCustom,
            "selector" => type.Plural == "services" && fieldPath == "spec.selector",
            _ => false,
        };
    }

    /// <summary>The <c>k:</c> element of an associative-list item: its key fields, sorted, as compact JSON.</summary>
    public static string KeyElement(JsonObject item, IReadOnlyList<string> keys)
    {
        var key = new JsonObject();
        foreach (var k in keys.OrderBy(k => k, StringComparer.Ordinal))
            if (item.TryGetPropertyValue(k, out var v)) key[k] = v?.DeepClone();
        return "k:" + JsonUtil.ToJson(key);
    }

    /// <summary>The value at a field-set path, and whether it exists.</summary>
    public static bool TryGet(JsonNode? root, IReadOnlyList<string> path, out JsonNode? value)
    {
        value = root;
        foreach (var element in path)
        {
            if (!TryStep(value, element, out value, out _)) return false;
        }
        return true;
    }

    /// <summary>Removes the value at a field-set path, if present.</summary>
    public static void Remove(JsonNode root, IReadOnlyList<string> path)
    {
        JsonNode? parent = root;
        for (var i = 0; i < path.Count - 1; i++)
            if (!TryStep(parent, path[i], out parent, out _)) return;
        switch (parent)
        {
            case JsonObject o when path[^1].StartsWith("f:", StringComparison.Ordinal):
                o.Remove(path[^1][2..]);
                break;
            case JsonArray a:
                if (TryStep(a, path[^1], out _, out var index) && index >= 0) a.RemoveAt(index);
                break;
        }
    }

    private static bool TryStep(JsonNode? node, string element, out JsonNode? child, out int index)
    {
        child = null;
        index = -1;
        var kind = element[..2];
        var rest = element[2..];
        switch (kind)
        {
            case "f:":
                return node is JsonObject o && o.TryGetPropertyValue(rest, out child);
            case "k:" when node is JsonArray a:
            {
                if (JsonNode.Parse(rest) is not JsonObject key) return false;
                for (var i = 0; i < a.Count; i++)
                {
                    if (a[i] is JsonObject item && key.All(kv => JsonNode.DeepEquals(item[kv.Key], kv.Value)))
                    {
                        child = item;
                        index = i;
                        return true;
                    }
                }
                return false;
            }
            case "v:" when node is JsonArray a:
            {
                var wanted = JsonNode.Parse(rest);
                for (var i = 0; i < a.Count; i++)
                {
                    if (JsonNode.DeepEquals(a[i], wanted))
                    {
                        child = a[i];
                        index = i;
                        return true;
                    }
                }
                return false;
            }
            case "i:" when node is JsonArray a && int.TryParse(rest, out var at) && at >= 0 && at < a.Count:
                child = a[at];
                index = at;
                return true;
            default:
                return false;
        }
    }
}
