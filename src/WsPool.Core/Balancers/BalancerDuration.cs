using System.Globalization;
using System.Text.RegularExpressions;
using WsPool.Core.Api;

namespace WsPool.Core.Balancers;

/// <summary>
/// The API's durations (<c>1h30m</c>, <c>500ms</c>) as the balancers need them. HAProxy and NGINX accept a single
/// number+unit only, so a compound duration is rewritten in the largest unit that keeps it exact.
/// </summary>
public static partial class BalancerDuration
{
    /// <summary>The longest timer HAProxy and NGINX both hold (HAProxy stores milliseconds in a signed 32-bit int).</summary>
    public static readonly TimeSpan Max = TimeSpan.FromDays(24);

    [GeneratedRegex(DurationAttribute.Pattern)]
    private static partial Regex Grammar();

    [GeneratedRegex("([0-9]+)(ms|s|m|h|d)")]
    private static partial Regex Part();

    /// <summary>Parses a duration; null when the text does not follow the grammar or overflows.</summary>
    public static TimeSpan? TryParse(string? text)
    {
        if (text is null || !Grammar().IsMatch(text)) return null;
        decimal ms = 0;
        foreach (Match part in Part().Matches(text))
        {
            var n = decimal.Parse(part.Groups[1].Value, CultureInfo.InvariantCulture);
            ms += part.Groups[2].Value switch
            {
                "ms" => n,
                "s" => n * 1000,
                "m" => n * 60_000,
                "h" => n * 3_600_000,
                _ => n * 86_400_000,
            };
        }
        return ms > (decimal)TimeSpan.MaxValue.TotalMilliseconds / 2 ? null : TimeSpan.FromMilliseconds((double)ms);
    }

    /// <summary>Parses a duration the validator has accepted; throws otherwise (a renderer bug, not user input).</summary>
    public static TimeSpan Parse(string text) =>
        TryParse(text) ?? throw new ArgumentException($"'{text}' is not a duration the validator accepts", nameof(text));

    /// <summary>The duration as one number and unit (ms, s, m, h, d): valid in both haproxy.cfg and nginx.conf.</summary>
    public static string Format(TimeSpan duration)
    {
        var ms = (long)duration.TotalMilliseconds;
        if (ms != 0 && ms % 86_400_000 == 0) return $"{ms / 86_400_000}d";
        if (ms != 0 && ms % 3_600_000 == 0) return $"{ms / 3_600_000}h";
        if (ms != 0 && ms % 60_000 == 0) return $"{ms / 60_000}m";
        if (ms % 1000 == 0) return $"{ms / 1000}s";
        return $"{ms}ms";
    }

    /// <summary>Formats an API duration for a balancer config.</summary>
    public static string Format(string text) => Format(Parse(text));

    /// <summary>Whole seconds, rounded up (annotations that take seconds: a timeout is never shortened).</summary>
    public static long Seconds(string text) => (long)Math.Ceiling(Parse(text).TotalSeconds);
}
