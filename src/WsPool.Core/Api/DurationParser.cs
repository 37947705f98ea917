using System.Globalization;
using System.Text.RegularExpressions;

namespace WsPool.Core.Api;

/// <summary>
/// Parses the API's duration strings (<see cref="DurationAttribute.Pattern"/>): one or more number+unit pairs such as
/// <c>500ms</c>, <c>90s</c>, <c>1h30m</c> or <c>2d</c>. The validator, the renderers and the operator all read
/// durations through this one parser so they cannot disagree on what a string means.
/// </summary>
public static partial class DurationParser
{
    /// <summary>Parses <paramref name="text"/>; false for anything outside the grammar or beyond TimeSpan's range.</summary>
    public static bool TryParse(string? text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        if (string.IsNullOrEmpty(text) || !AllowList.Matches(Grammar(), text)) return false;

        long ticks = 0;
        foreach (Match part in Part().Matches(text))
        {
            var number = long.Parse(part.Groups["n"].Value, NumberStyles.None, CultureInfo.InvariantCulture);
            var unit = part.Groups["u"].Value switch
            {
                "ms" => TimeSpan.TicksPerMillisecond,
                "s" => TimeSpan.TicksPerSecond,
                "m" => TimeSpan.TicksPerMinute,
                "h" => TimeSpan.TicksPerHour,
                _ => TimeSpan.TicksPerDay,
            };
            // At most 9 digits times a day's ticks fits a long, but the sum of several parts might not.
            try { ticks = checked(ticks + checked(number * unit)); }
            catch (OverflowException) { return false; }
        }
        value = TimeSpan.FromTicks(ticks);
        return true;
    }

    /// <summary>Parses <paramref name="text"/> or throws a <see cref="FormatException"/> naming the grammar.</summary>
    public static TimeSpan Parse(string text) =>
        TryParse(text, out var value)
            ? value
            : throw new FormatException($"'{text}' is not a duration such as 500ms, 5s, 1m30s, 1h or 2d");

    [GeneratedRegex(DurationAttribute.Pattern, RegexOptions.CultureInvariant)]
    private static partial Regex Grammar();

    [GeneratedRegex("(?<n>[0-9]+)(?<u>ms|s|m|h|d)", RegexOptions.CultureInvariant)]
    private static partial Regex Part();
}
