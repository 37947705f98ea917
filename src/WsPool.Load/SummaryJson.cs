using System.Text.Json;
using System.Text.Json.Serialization;

namespace WsPool.Load;

/// <summary>The machine-readable summary (<c>wsload --json</c>): camelCase, stable field names.</summary>
public static class SummaryJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static string Serialize(LoadSummary summary) => JsonSerializer.Serialize(summary, Options);

    public static LoadSummary? Deserialize(string json) => JsonSerializer.Deserialize<LoadSummary>(json, Options);
}
