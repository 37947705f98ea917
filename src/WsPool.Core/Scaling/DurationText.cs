using System.Globalization;
using System.Text.RegularExpressions;
using WsPool.Core.Api;

namespace WsPool.Core.Scaling;

/// <summary>
/// Reads the API's duration strings (<c>500ms</c>, <c>15s</c>, <c>1m30s</c>, <c>1h</c>, <c>2d</c>) into a
/// <see cref="TimeSpan"/>. The grammar is <see cref="DurationAttribute.Pattern"/>, the one the CRD enforces.
/// </summary>
public static partial class DurationText
{
    [GeneratedRegex("([0-9]{1,9})(ms|s|m|h|d)")]
    private static partial Regex Part();

    [GeneratedRegex(DurationAttribute.Pattern)]
    private static partial Regex Whole();

    /// <summary>Parses <paramref name="text"/>; the error names <paramref name="fieldPath"/> and the grammar.</summary>
    public static TimeSpan Parse(string? text, string fieldPath)
    {
        if (text is null || !Whole().IsMatch(text))
            throw new FormatException($"{fieldPath}: '{text}' is not a duration (one or more number+unit pairs, units ms|s|m|h|d, e.g. 15s or 1m30s)");
        var total = TimeSpan.Zero;
        foreach (Match match in Part().Matches(text))
        {
            var number = long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
            total += match.Groups[2].Value switch
            {
                "ms" => TimeSpan.FromMilliseconds(number),
                "s" => TimeSpan.FromSeconds(number),
                "m" => TimeSpan.FromMinutes(number),
                "h" => TimeSpan.FromHours(number),
                _ => TimeSpan.FromDays(number),
            };
        }
        return total;
    }
}
