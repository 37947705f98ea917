using System.Globalization;
using System.Text.RegularExpressions;

namespace ChatServer;

/// <summary>
/// Parses the duration strings the WebSocketPool API uses (<c>60s</c>, <c>1m30s</c>, <c>500ms</c>, <c>1h</c>, <c>2d</c>):
/// the operator passes the pool's <c>drain.timeout</c> through unchanged, so the server reads the same grammar.
/// </summary>
public static partial class Duration
{
    [GeneratedRegex("^([0-9]{1,9}(ms|s|m|h|d))+$")]
    private static partial Regex Whole();

    [GeneratedRegex("([0-9]{1,9})(ms|s|m|h|d)")]
    private static partial Regex Part();

    public static bool TryParse(string? text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        if (string.IsNullOrWhiteSpace(text) || !Whole().IsMatch(text.Trim())) return false;
        foreach (Match part in Part().Matches(text.Trim()))
        {
            var amount = long.Parse(part.Groups[1].Value, CultureInfo.InvariantCulture);
            value += part.Groups[2].Value switch
            {
                "ms" => TimeSpan.FromMilliseconds(amount),
                "s" => TimeSpan.FromSeconds(amount),
                "m" => TimeSpan.FromMinutes(amount),
                "h" => TimeSpan.FromHours(amount),
                _ => TimeSpan.FromDays(amount),
            };
        }
        return true;
    }

    /// <summary>Formats a span back into the same grammar (used in logs and JSON answers).</summary>
    public static string Format(TimeSpan span)
    {
        if (span.Ticks % TimeSpan.TicksPerSecond != 0) return $"{(long)span.TotalMilliseconds}ms";
        var seconds = (long)span.TotalSeconds;
        if (seconds == 0) return "0s";
        var text = "";
        if (seconds >= 3600) { text += $"{seconds / 3600}h"; seconds %= 3600; }
        if (seconds >= 60) { text += $"{seconds / 60}m"; seconds %= 60; }
        if (seconds > 0) text += $"{seconds}s";
        return text;
    }
}
