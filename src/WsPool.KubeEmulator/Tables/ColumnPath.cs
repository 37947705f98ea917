using System.Text.Json.Nodes;

namespace WsPool.KubeEmulator.Tables;

/// <summary>
/// The part of JSONPath that printer columns use in practice: <c>.a.b</c> field steps and <c>[n]</c> array indexes
/// (negative ones count from the end, as client-go's jsonpath does). Anything else (filters, wildcards, unions,
/// slices, recursive descent) is not evaluated: <see cref="Parse"/> gives null and the column's cells stay null.
/// </summary>
public sealed class ColumnPath
{
    private readonly IReadOnlyList<Step> _steps;

    private ColumnPath(IReadOnlyList<Step> steps) => _steps = steps;

    private readonly record struct Step(string? Field, int Index);

    /// <summary>The path, or null when it uses anything beyond fields and indexes.</summary>
    public static ColumnPath? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var s = text.Trim();
        if (s.StartsWith('$')) s = s[1..];
        var steps = new List<Step>();
        var i = 0;
        while (i < s.Length)
        {
            if (s[i] == '.')
            {
                var start = ++i;
                while (i < s.Length && s[i] != '.' && s[i] != '[') i++;
                var field = s[start..i];
                if (field.Length == 0 || field.Any(c => c is '*' or '@' or '(' or ')' or '?' or ',' or '\'' or '"' or ']' or ' ')) return null;
                steps.Add(new Step(field, 0));
            }
            else if (s[i] == '[')
            {
                var close = s.IndexOf(']', i);
                if (close < 0 || !int.TryParse(s.AsSpan(i + 1, close - i - 1), System.Globalization.NumberStyles.AllowLeadingSign,
                        System.Globalization.CultureInfo.InvariantCulture, out var index))
                    return null;
                steps.Add(new Step(null, index));
                i = close + 1;
            }
            else return null;
        }
        return steps.Count == 0 ? null : new ColumnPath(steps);
    }

    /// <summary>The value at this path, or null when a step finds nothing (a missing key, an index out of range, a type mismatch).</summary>
    public JsonNode? Find(JsonNode? root)
    {
        var node = root;
        foreach (var step in _steps)
        {
            if (step.Field is { } field)
                node = node is JsonObject o && o.TryGetPropertyValue(field, out var child) ? child : null;
            else if (node is JsonArray a)
            {
                var at = step.Index < 0 ? a.Count + step.Index : step.Index;
                node = at >= 0 && at < a.Count ? a[at] : null;
            }
            else node = null;
            if (node is null) return null;
        }
        return node;
    }
}
