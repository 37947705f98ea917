using System.Text.Json.Nodes;
using WsPool.KubeEmulator.Errors;
using WsPool.KubeEmulator.Json;
using WsPool.KubeEmulator.Resources;

namespace WsPool.KubeEmulator.Apply;

/// <summary>
/// Server-side apply (application/apply-patch+yaml), following the documented semantics:
/// the applied configuration is merged into the live object (maps recursively, associative lists by key, sets by
/// value, everything else replaced); the manager's field set becomes exactly the fields it applied; a field another
/// manager owns and that the apply would change is a conflict (409 listing fields and managers) unless
/// <c>force</c>, which moves ownership; fields the manager applied before but not now are removed when no other
/// manager owns them.
/// </summary>
public static class ServerSideApply
{
    public static JsonObject Apply(ResourceType type, JsonObject? live, JsonObject applied, string manager, bool force,
        string? subresource, string time)
    {
        var scope = ManagedFields.ScopeOf(subresource);
        var entries = ManagedFields.Read(live);
        var scopedApplied = Scoped(type, applied, scope);
        var appliedSet = FieldPaths.Of(type, scopedApplied, scope);
        var baseObject = live is null ? new JsonObject() : (JsonObject)live.DeepClone();

        // Conflicts: values this apply changes that another manager owns.
        var conflicts = new List<(string Manager, string[] Path)>();
        var others = entries.Where(e => ManagedFields.ScopeOf(e.Subresource) == scope && e.Manager != manager).ToList();
        foreach (var path in appliedSet.Leaves())
        {
            FieldPaths.TryGet(scopedApplied, path, out var wanted);
            var exists = FieldPaths.TryGet(live, path, out var current);
            if (exists && JsonNode.DeepEquals(wanted, current)) continue;
            foreach (var other in others)
                if (other.Fields.Contains(path)) conflicts.Add((other.Manager, path));
        }
        if (conflicts.Count > 0 && !force) throw ConflictError(type, live, applied, conflicts);
        foreach (var (owner, path) in conflicts)
            foreach (var e in others.Where(e => e.Manager == owner)) e.Fields.Remove(path);

        var merged = MergeInto(type, baseObject, scopedApplied, "");

        // Fields this manager applied last time but not now, owned by nobody else, go away.
        var mine = entries.FirstOrDefault(e => e.SameIdentity(manager, ManagedFields.Apply, subresource));
        if (mine is not null)
        {
            var dropped = mine.Fields.Members().Where(p => !appliedSet.Contains(p)).ToList();
            foreach (var path in dropped.OrderByDescending(p => p.Length))
            {
                if (entries.Any(e => e != mine && ManagedFields.ScopeOf(e.Subresource) == scope && e.Fields.Contains(path))) continue;
                FieldPaths.Remove(merged, path);
            }
        }
        else
        {
            mine = new ManagedFieldsEntry { Manager = manager, Operation = ManagedFields.Apply, Subresource = subresource };
            entries.Add(mine);
        }
        mine.Fields = appliedSet;
        mine.ApiVersion = type.ApiVersion;
        mine.Time = time;
        ManagedFields.Write(merged, entries);
        return merged;
    }

    /// <summary>The part of the applied configuration the endpoint manages.</summary>
    private static JsonObject Scoped(ResourceType type, JsonObject applied, FieldPaths.Scope scope)
    {
        var copy = (JsonObject)applied.DeepClone();
        if (scope == FieldPaths.Scope.Status)
        {
            foreach (var name in copy.Select(p => p.Key).ToList())
                if (name is not ("status" or "apiVersion" or "kind" or "metadata")) copy.Remove(name);
            // Only status changes through the status endpoint; metadata is used to identify the object.
            if (copy["metadata"] is JsonObject meta)
                foreach (var name in meta.Select(p => p.Key).ToList())
                    if (name is not ("name" or "namespace")) meta.Remove(name);
        }
        else if (type.HasStatus) copy.Remove("status");
        return copy;
    }

    /// <summary>Structured merge into <paramref name="target"/>, which the caller owns and which is changed in place.</summary>
    private static JsonObject MergeInto(ResourceType type, JsonObject target, JsonObject applied, string fieldPath)
    {
        foreach (var (name, value) in applied)
        {
            if (name == "managedFields" && fieldPath == "metadata") continue;
            var childPath = fieldPath.Length == 0 ? name : $"{fieldPath}.{name}";
            if (value is null)
            {
                target.Remove(name);
                continue;
            }
            target.TryGetPropertyValue(name, out var current);
            switch (value)
            {
                case JsonObject ao when current is JsonObject co:
                    MergeInto(type, co, ao, childPath);
                    break;
                case JsonArray aa when current is JsonArray ca && MergeListInto(type, ca, aa, childPath):
                    break;
                default:
                    target[name] = value.DeepClone();
                    break;
            }
        }
        return target;
    }

    /// <summary>Merges set and associative lists in place; false for atomic lists (the caller replaces them).</summary>
    private static bool MergeListInto(ResourceType type, JsonArray target, JsonArray applied, string fieldPath)
    {
        var listType = type.ListTypes.Resolve(type.Plural, fieldPath);
        if (listType.Kind == ListKind.Set)
        {
            foreach (var item in applied)
                if (!target.Any(x => JsonNode.DeepEquals(x, item))) target.Add(item?.DeepClone());
            return true;
        }
        if (listType.Kind != ListKind.Map || !applied.All(i => i is JsonObject) || !target.All(i => i is JsonObject)) return false;
        var index = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        foreach (var item in target.Cast<JsonObject>()) index.TryAdd(FieldPaths.KeyElement(item, listType.Keys), item);
        foreach (var item in applied.Cast<JsonObject>())
        {
            if (index.TryGetValue(FieldPaths.KeyElement(item, listType.Keys), out var existing)) MergeInto(type, existing, item, fieldPath);
            else target.Add(item.DeepClone());
        }
        return true;
    }

    /// <summary>Structured merge of an applied configuration into an object.</summary>
    public static JsonNode? Merge(ResourceType type, JsonNode? live, JsonNode? applied, string fieldPath)
    {
        switch (applied)
        {
            case JsonObject ao:
            {
                var result = live is JsonObject lo ? (JsonObject)lo.DeepClone() : new JsonObject();
                foreach (var (name, value) in ao)
                {
                    if (name == "managedFields" && fieldPath == "metadata") continue;
                    var childPath = fieldPath.Length == 0 ? name : $"{fieldPath}.{name}";
                    if (value is null)
                    {
                        result.Remove(name);
                        continue;
                    }
                    result.TryGetPropertyValue(name, out var current);
                    result[name] = Merge(type, current, value, childPath);
                }
                return result;
            }
            case JsonArray aa:
            {
                var listType = type.ListTypes.Resolve(type.Plural, fieldPath);
                if (live is not JsonArray la) return aa.DeepClone();
                if (listType.Kind == ListKind.Set)
                {
                    var set = (JsonArray)la.DeepClone();
                    foreach (var item in aa)
                        if (!set.Any(x => JsonNode.DeepEquals(x, item))) set.Add(item?.DeepClone());
                    return set;
                }
                if (listType.Kind == ListKind.Map && aa.All(i => i is JsonObject) && la.All(i => i is JsonObject))
                {
                    var result = (JsonArray)la.DeepClone();
                    foreach (var item in aa.Cast<JsonObject>())
                    {
                        var key = FieldPaths.KeyElement(item, listType.Keys);
                        var index = -1;
                        for (var i = 0; i < result.Count; i++)
                            if (FieldPaths.KeyElement((JsonObject)result[i]!, listType.Keys) == key) { index = i; break; }
                        if (index >= 0) result[index] = Merge(type, result[index], item, fieldPath);
                        else result.Add(item.DeepClone());
                    }
                    return result;
                }
                return aa.DeepClone();
            }
            default:
                return applied?.DeepClone();
        }
    }

    private static ApiError ConflictError(ResourceType type, JsonObject? live, JsonObject applied,
        List<(string Manager, string[] Path)> conflicts)
    {
        var causes = new JsonArray();
        foreach (var (manager, path) in conflicts)
        {
            var field = FieldSet.PathText(path);
            causes.Add(new JsonObject
            {
                ["reason"] = "FieldManagerConflict",
                ["message"] = $"conflict with \"{manager}\"",
                ["field"] = field,
            });
        }
        var lines = conflicts.Select(c => $"conflict with \"{c.Manager}\": {FieldSet.PathText(c.Path)}");
        var count = conflicts.Count == 1 ? "1 conflict" : $"{conflicts.Count} conflicts";
        var name = live?["metadata"].Str("name") ?? applied["metadata"].Str("name") ?? "";
        var details = new JsonObject
        {
            ["name"] = name,
            ["group"] = type.Group,
            ["kind"] = type.Plural,
            ["causes"] = causes,
        };
        return new ApiError(409, "Conflict", $"Apply failed with {count}: {string.Join("\n", lines)}", details);
    }
}
