using System.Globalization;
using System.Text.RegularExpressions;

namespace WsPool.Core.Rendering;

/// <summary>
/// Reads the API's duration strings (<c>90s</c>, <c>1h30m</c>, <c>500ms</c>; see DurationAttribute.Pattern).
/// The validator has already rejected malformed text, so rendering only needs the value; a malformed or null
/// string yields the fallback instead of an exception, because rendering never throws on a valid pool.
/// </summary>
internal static partial class DurationText
{
    [GeneratedRegex("([0-9]{1,9})(ms|s|m|h|d)")]
    private static partial Regex Part();

    [GeneratedRegex("^([0-9]{1,9}(ms|s|m|h|d))+$")]
    private static partial Regex Whole();

    /// <summary>The duration, or null when the text is not a duration.</summary>
    public static TimeSpan? TryParse(string? text)
    {
        if (string.IsNullOrEmpty(text) || !Whole().IsMatch(text))
            return null;
        // Summed in milliseconds as a double so absurd values (999999999d) saturate instead of overflowing.
        double milliseconds = 0;
        foreach (Match m in Part().Matches(text))
        {
            var n = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            milliseconds += n * m.Groups[2].Value switch
            {
                "ms" => 1,
                "s" => 1_000,
                "m" => 60_000,
                "h" => 3_600_000,
                _ => 86_400_000,
            };
        }
        return milliseconds >= TimeSpan.MaxValue.TotalMilliseconds
            ? TimeSpan.MaxValue
            : TimeSpan.FromMilliseconds(milliseconds);
    }

    /// <summary>
    /// Whole seconds, rounded up: Kubernetes counts grace periods and sleeps in seconds, and rounding down could
    /// cut a drain window short.
    /// </summary>
    public static long CeilingSeconds(string? text, TimeSpan fallback)
    {
        var value = TryParse(text) ?? fallback;
        return (long)Math.Ceiling(value.TotalSeconds);
    }
}
