using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace WsPool.KubeEmulator.Tables;

/// <summary>
/// What a column's value becomes in a Table cell, by the column's type, as the API server converts it (checked
/// against apiextensions-apiserver 1.36): absent or null values are null; a <c>string</c> column prints any value
/// (numbers and booleans as text, objects and arrays as compact JSON with sorted keys); <c>integer</c> takes numbers
/// (a fraction is cut off); <c>number</c> takes numbers; <c>boolean</c> takes booleans; <c>date</c> takes an RFC 3339
/// string and gives the age ("5m"), "&lt;invalid&gt;" for any other string. A value of the wrong type is null.
/// </summary>
public static class ColumnCell
{
    public static JsonNode? For(string columnType, JsonNode? value, DateTimeOffset now)
    {
        if (value is null) return null;
        var kind = value.GetValueKind();
        if (kind == JsonValueKind.Null) return null;
        switch (columnType)
        {
            case "string":
                return kind == JsonValueKind.String ? value.GetValue<string>() : Print(value);
            case "integer" when kind == JsonValueKind.Number:
            {
                var v = value.AsValue();
                if (v.TryGetValue<long>(out var whole)) return whole;
                return v.TryGetValue<double>(out var d) && d is >= long.MinValue and <= long.MaxValue ? (long)Math.Truncate(d) : null;
            }
            case "number" when kind == JsonValueKind.Number:
            {
                var v = value.AsValue();
                if (v.TryGetValue<long>(out var whole)) return whole;
                return v.TryGetValue<double>(out var d) ? d : null;
            }
            case "boolean" when kind is JsonValueKind.True or JsonValueKind.False:
                return kind == JsonValueKind.True;
            case "date" when kind == JsonValueKind.String:
                return Age(value.GetValue<string>(), now);
            default:
                return null;
        }
    }

    private static readonly string[] Rfc3339 =
    [
        "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK",
    ];

    private static string Age(string text, DateTimeOffset now)
    {
        if (!DateTimeOffset.TryParseExact(text, Rfc3339, CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
            return "<invalid>";
        if (time.UtcDateTime == DateTime.MinValue) return "<unknown>";
        return HumanDuration.Format(now - time);
    }

    /// <summary>A non-string value as text: scalars as their JSON literal, objects and arrays as JSON with keys in order.</summary>
    private static string Print(JsonNode value) => value switch
    {
        JsonValue v => v.ToJsonString(),
        _ => Sorted(value)!.ToJsonString(Json.JsonUtil.Compact),
    };

    private static JsonNode? Sorted(JsonNode? node) => node switch
    {
        JsonObject o => new JsonObject(o.OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => KeyValuePair.Create(p.Key, Sorted(p.Value)))),
        JsonArray a => new JsonArray(a.Select(Sorted).ToArray()),
        _ => node?.DeepClone(),
    };
}
