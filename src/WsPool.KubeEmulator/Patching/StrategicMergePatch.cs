using System.Text.Json.Nodes;
using WsPool.KubeEmulator.Errors;
using WsPool.KubeEmulator.Resources;

namespace WsPool.KubeEmulator.Patching;

/// <summary>
/// Strategic merge patch for built-in kinds. The subset implemented: maps merge recursively and null deletes;
/// lists with a patchMergeKey (containers, initContainers, volumes, env, imagePullSecrets by name; container ports by
/// containerPort; service ports by port; volumeMounts by mountPath; conditions by type; ownerReferences by uid) merge
/// item by item; finalizers merge as a set; other lists are replaced. Directives: <c>$patch: replace|delete|merge</c>
/// on maps and list items, <c>$deleteFromPrimitiveList/FIELD</c>; <c>$setElementOrder/FIELD</c> and
/// <c>$retainKeys</c> are accepted and ignored (order is kept as the live object has it, new items appended).
/// </summary>
public static class StrategicMergePatch
{
    public static JsonObject Apply(ResourceType type, JsonObject target, JsonObject patch) =>
        MergeObject(type, (JsonObject)target.DeepClone(), patch, "");

    private static JsonObject MergeObject(ResourceType type, JsonObject target, JsonObject patch, string path)
    {
        var directive = patch["$patch"]?.GetValue<string>();
        if (directive == "replace")
        {
            var replaced = (JsonObject)patch.DeepClone();
            replaced.Remove("$patch");
            return replaced;
        }
        if (directive == "delete") return new JsonObject();

        foreach (var (name, value) in patch)
        {
            if (name is "$patch" or "$retainKeys" || name.StartsWith("$setElementOrder/", StringComparison.Ordinal)) continue;
            if (name.StartsWith("$deleteFromPrimitiveList/", StringComparison.Ordinal))
            {
                var field = name["$deleteFromPrimitiveList/".Length..];
                if (target[field] is JsonArray list && value is JsonArray remove)
                {
                    for (var i = list.Count - 1; i >= 0; i--)
                        if (remove.Any(r => JsonNode.DeepEquals(r, list[i]))) list.RemoveAt(i);
                }
                continue;
            }
            var childPath = path.Length == 0 ? name : $"{path}.{name}";
            if (value is null)
            {
                target.Remove(name);
                continue;
            }
            target.TryGetPropertyValue(name, out var current);
            target[name] = value switch
            {
                JsonObject po when current is JsonObject co => MergeObject(type, (JsonObject)co.DeepClone(), po, childPath),
                JsonObject po => MergeObject(type, new JsonObject(), po, childPath),
                JsonArray pa => MergeList(type, current as JsonArray, pa, childPath),
                _ => value.DeepClone(),
            };
        }
        return target;
    }

    private static JsonArray MergeList(ResourceType type, JsonArray? current, JsonArray patch, string path)
    {
        var listType = type.ListTypes.Resolve(type.Plural, path);
        if (patch.Count == 1 && patch[0] is JsonObject only && only["$patch"]?.GetValue<string>() == "replace")
            return new JsonArray();
        switch (listType.Kind)
        {
            case ListKind.Set:
            {
                var result = (JsonArray?)current?.DeepClone() ?? new JsonArray();
                foreach (var item in patch)
                    if (!result.Any(r => JsonNode.DeepEquals(r, item))) result.Add(item?.DeepClone());
                return result;
            }
            case ListKind.Map:
            {
                var key = listType.MergeKey!;
                var result = (JsonArray?)current?.DeepClone() ?? new JsonArray();
                foreach (var item in patch)
                {
                    if (item is not JsonObject po) throw ApiError.BadRequest($"{path}: list items must be objects with \"{key}\"");
                    var keyValue = po[key];
                    var index = FindIndex(result, key, keyValue);
                    var itemDirective = po["$patch"]?.GetValue<string>();
                    if (itemDirective == "delete")
                    {
                        if (index >= 0) result.RemoveAt(index);
                        continue;
                    }
                    if (index >= 0) result[index] = MergeObject(type, (JsonObject)result[index]!.DeepClone(), po, path);
                    else result.Add(MergeObject(type, new JsonObject(), po, path));
                }
                return result;
            }
            default:
                return (JsonArray)patch.DeepClone();
        }
    }

    private static int FindIndex(JsonArray list, string key, JsonNode? value)
    {
        for (var i = 0; i < list.Count; i++)
            if (list[i] is JsonObject o && JsonNode.DeepEquals(o[key], value)) return i;
        return -1;
    }
}
