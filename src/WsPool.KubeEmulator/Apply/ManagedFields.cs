using System.Text.Json.Nodes;
using WsPool.KubeEmulator.Json;
using WsPool.KubeEmulator.Resources;

namespace WsPool.KubeEmulator.Apply;

/// <summary>One <c>metadata.managedFields</c> entry: a manager, how it wrote (Apply or Update), and the fields it owns.</summary>
public sealed class ManagedFieldsEntry
{
    public required string Manager { get; init; }
    public required string Operation { get; init; }
    public string? Subresource { get; init; }
    public string ApiVersion { get; set; } = "";
    public string? Time { get; set; }
    public FieldSet Fields { get; set; } = new();

    public bool SameIdentity(string manager, string operation, string? subresource) =>
        Manager == manager && Operation == operation && Subresource == subresource;
}

/// <summary>
/// Reads and writes managedFields and records ownership for non-apply writes: the writer takes every field it
/// changed, other managers lose fields that changed or went away (the structured-merge-diff "Update" rule).
/// </summary>
public static class ManagedFields
{
    public const string Apply = "Apply";
    public const string Update = "Update";

    public static List<ManagedFieldsEntry> Read(JsonObject? obj)
    {
        var list = new List<ManagedFieldsEntry>();
        if (obj?["metadata"]?["managedFields"] is not JsonArray entries) return list;
        foreach (var e in entries.OfType<JsonObject>())
        {
            list.Add(new ManagedFieldsEntry
            {
                Manager = e.Str("manager") ?? "",
                Operation = e.Str("operation") ?? Update,
                Subresource = e.Str("subresource"),
                ApiVersion = e.Str("apiVersion") ?? "",
                Time = e.Str("time"),
                Fields = FieldSet.FromFieldsV1(e["fieldsV1"] as JsonObject),
            });
        }
        return list;
    }

    public static void Write(JsonObject obj, IEnumerable<ManagedFieldsEntry> entries)
    {
        var array = new JsonArray();
        foreach (var e in entries.Where(e => !e.Fields.IsEmpty))
        {
            var entry = new JsonObject
            {
                ["manager"] = e.Manager,
                ["operation"] = e.Operation,
                ["apiVersion"] = e.ApiVersion,
            };
            if (e.Time is not null) entry["time"] = e.Time;
            entry["fieldsType"] = "FieldsV1";
            entry["fieldsV1"] = e.Fields.ToFieldsV1();
            if (e.Subresource is not null) entry["subresource"] = e.Subresource;
            array.Add(entry);
        }
        var meta = obj.Metadata();
        if (array.Count == 0) meta.Remove("managedFields");
        else meta["managedFields"] = array;
    }

    public static FieldPaths.Scope ScopeOf(string? subresource) =>
        subresource == "status" ? FieldPaths.Scope.Status : FieldPaths.Scope.Main;

    /// <summary>Updates <paramref name="after"/>'s managedFields for a create, update or non-apply patch by <paramref name="manager"/>.</summary>
    public static void TrackUpdate(ResourceType type, JsonObject? before, JsonObject after, string manager, string? subresource, string time)
    {
        var entries = Read(before);
        var scope = ScopeOf(subresource);
        var oldSet = before is null ? new FieldSet() : FieldPaths.Of(type, before, scope);
        var newSet = FieldPaths.Of(type, after, scope);

        var changed = new List<string[]>();
        foreach (var path in newSet.Members())
        {
            var hadBefore = FieldPaths.TryGet(before, path, out var was);
            FieldPaths.TryGet(after, path, out var now);
            var isLeaf = now is not JsonObject and not JsonArray || IsEmptyContainer(now);
            if (!hadBefore || (isLeaf && !JsonNode.DeepEquals(was, now))) changed.Add(path);
        }
        var removed = oldSet.Members().Where(p => !newSet.Contains(p)).ToList();
        if (changed.Count == 0 && removed.Count == 0)
        {
            ManagedFields.Write(after, entries);
            return;
        }

        foreach (var e in entries.Where(e => ScopeOf(e.Subresource) == scope))
        {
            foreach (var p in changed) e.Fields.Remove(p);
            foreach (var p in removed) e.Fields.Remove(p);
        }
        var mine = entries.FirstOrDefault(e => e.SameIdentity(manager, Update, subresource));
        if (mine is null)
        {
            mine = new ManagedFieldsEntry { Manager = manager, Operation = Update, Subresource = subresource };
            entries.Add(mine);
        }
        foreach (var p in changed) mine.Fields.Insert(p);
        mine.ApiVersion = type.ApiVersion;
        mine.Time = time;
        Write(after, entries);
    }

    internal static bool IsEmptyContainer(JsonNode? n) => n is JsonObject { Count: 0 } or JsonArray { Count: 0 };
}
