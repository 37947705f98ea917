using WsPool.Core.Api;

namespace WsPool.Core.Balancers;

/// <summary>
/// The API's durations (<c>1h30m</c>, <c>500ms</c>) as the balancers need them. HAProxy and NGINX accept a single
/// number+unit only, so a compound duration is rewritten in the largest unit that keeps it exact.
/// </summary>
public static class BalancerDuration
{
    /// <summary>Parses a duration with the core's one parser; null when the text does not follow the grammar or overflows.</summary>
    public static TimeSpan? TryParse(string? text) => DurationParser.TryParse(text, out var value) ? value : null;

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

    /// <summary>
    /// For settings that take whole seconds (NGINX fail_timeout and sticky expires, HAProxy cookie maxidle/maxlife):
    /// rounded up to a second, at least 1s, in the largest exact unit.
    /// </summary>
    public static string FormatSeconds(string text) => Format(TimeSpan.FromSeconds(Math.Max(1, Seconds(text))));

    /// <summary>Whole seconds, rounded up (annotations that take seconds: a timeout is never shortened).</summary>
    public static long Seconds(string text) => (long)Math.Ceiling(Parse(text).TotalSeconds);
}
