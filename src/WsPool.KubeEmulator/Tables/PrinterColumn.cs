using System.Text.Json.Nodes;
using WsPool.KubeEmulator.Json;

namespace WsPool.KubeEmulator.Tables;

/// <summary>
/// One column of a custom resource's Table: a CRD version's <c>additionalPrinterColumns</c> entry, described as the
/// API server describes it (a column without a description gets "Custom resource definition column (in JSONPath
/// format): PATH").
/// </summary>
public sealed record PrinterColumn(string Name, string Type, string Format, string Description, long Priority, string JsonPath)
{
    /// <summary>The path, or null when it is beyond the subset the emulator evaluates (the cells stay null).</summary>
    public ColumnPath? Path { get; } = ColumnPath.Parse(JsonPath);

    /// <summary>The columns a CRD version serves after Name; a version that declares none gets the server's Age column.</summary>
    public static IReadOnlyList<PrinterColumn> Of(JsonObject crdVersion)
    {
        if (crdVersion["additionalPrinterColumns"] is not JsonArray { Count: > 0 } columns)
            return [new("Age", "date", "", CreationTimestampDescription, 0, ".metadata.creationTimestamp")];
        return columns.OfType<JsonObject>().Select(c =>
        {
            var path = c.Str("jsonPath") ?? "";
            var description = c.Str("description");
            return new PrinterColumn(c.Str("name") ?? "", c.Str("type") ?? "", c.Str("format") ?? "",
                string.IsNullOrEmpty(description) ? $"Custom resource definition column (in JSONPath format): {path}" : description,
                c.Long("priority") ?? 0, path);
        }).ToList();
    }

    public JsonObject Definition() => new()
    {
        ["name"] = Name, ["type"] = Type, ["format"] = Format, ["description"] = Description, ["priority"] = Priority,
    };

    /// <summary>The Name column every Table starts with (ObjectMeta's description of name, as the server sends it).</summary>
    public static JsonObject NameDefinition() => new()
    {
        ["name"] = "Name", ["type"] = "string", ["format"] = "name", ["description"] = NameDescription, ["priority"] = 0,
    };

    private const string NameDescription =
        "Name must be unique within a namespace. Is required when creating resources, although some resources may allow a " +
        "client to request the generation of an appropriate name automatically. Name is primarily intended for creation " +
        "idempotence and configuration definition. Cannot be updated. More info: " +
        "https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names";

    private const string CreationTimestampDescription =
        "CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed " +
        "to be set in happens-before order across separate operations. Clients may not set this value. It is represented " +
        "in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: " +
        "https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata";
}
