using System.Text.Json.Nodes;
using WsPool.KubeEmulator.Json;
using WsPool.KubeEmulator.Registry;
using WsPool.KubeEmulator.Resources;
using WsPool.KubeEmulator.Storage;

namespace WsPool.KubeEmulator.Tables;

/// <summary>
/// Custom resources as a <c>meta.k8s.io</c> Table (what kubectl get prints): the Name column, then the CRD
/// version's printer columns in order; one row per object with its cells and, per <c>includeObject</c>, nothing,
/// a PartialObjectMetadata or the whole object. Checked against apiextensions-apiserver 1.36's answers.
/// </summary>
internal static class TableConverter
{
    public static JsonObject ForList(ResourceType type, ListResult list, TableRequest request, DateTimeOffset now)
    {
        var meta = new JsonObject { ["resourceVersion"] = list.ResourceVersion.ToString() };
        if (list.Continue is not null)
        {
            meta["continue"] = list.Continue;
            meta["remainingItemCount"] = list.RemainingItemCount;
        }
        return Table(request, meta, Definitions(type), list.Items.Select(o => Row(type, o, request, now)));
    }

    public static JsonObject ForObject(ResourceType type, StoredObject obj, TableRequest request, DateTimeOffset now, bool withColumns = true) =>
        Table(request, new JsonObject { ["resourceVersion"] = obj.ResourceVersion.ToString() },
            withColumns ? Definitions(type) : null, [Row(type, obj, request, now)]);

    /// <summary>
    /// A watch event with its object as a one-row Table. The server sends the column definitions with the first
    /// event of a stream only (later events carry <c>"columnDefinitions": null</c>). Other lines (BOOKMARK, ERROR) pass.
    /// </summary>
    public static byte[] ForWatchLine(ResourceType type, byte[] line, TableRequest request, DateTimeOffset now, ref bool columnsSent)
    {
        var ev = JsonUtil.ParseObject(line);
        if (ev.Str("type") is not ("ADDED" or "MODIFIED" or "DELETED") || ev["object"] is not JsonObject obj) return line;
        ev.Remove("object");
        var meta = obj.Metadata();
        var table = Table(request, new JsonObject { ["resourceVersion"] = meta.Str("resourceVersion") },
            columnsSent ? null : Definitions(type), [Row(type, obj, request, now)]);
        columnsSent = true;
        ev["object"] = table;
        var bytes = JsonUtil.ToBytes(ev);
        return [.. bytes, (byte)'\n'];
    }

    private static JsonObject Table(TableRequest request, JsonObject meta, JsonArray? columns, IEnumerable<JsonObject> rows) => new()
    {
        ["kind"] = "Table",
        ["apiVersion"] = request.ApiVersion,
        ["metadata"] = meta,
        ["columnDefinitions"] = columns,
        ["rows"] = new JsonArray(rows.ToArray<JsonNode?>()),
    };

    private static JsonArray Definitions(ResourceType type) =>
        new([PrinterColumn.NameDefinition(), .. Columns(type).Select(c => (JsonNode)c.Definition())]);

    private static IReadOnlyList<PrinterColumn> Columns(ResourceType type) => type.PrinterColumns ?? [];

    private static JsonObject Row(ResourceType type, StoredObject stored, TableRequest request, DateTimeOffset now) =>
        Row(type, JsonUtil.ParseObject(stored.JsonFor(type)), request, now);

    private static JsonObject Row(ResourceType type, JsonObject obj, TableRequest request, DateTimeOffset now)
    {
        var cells = new JsonArray(obj.Metadata().Str("name"));
        foreach (var column in Columns(type))
            cells.Add(column.Path is { } path ? ColumnCell.For(column.Type, path.Find(obj), now) : null);
        return new JsonObject
        {
            ["cells"] = cells,
            ["object"] = request.Include switch
            {
                IncludeObject.None => null,
                IncludeObject.Object => obj,
                _ => new JsonObject
                {
                    ["kind"] = "PartialObjectMetadata",
                    ["apiVersion"] = request.ApiVersion,
                    ["metadata"] = obj["metadata"]?.DeepClone(),
                },
            },
        };
    }
}
