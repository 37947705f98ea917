namespace WsPool.Core.Validation;

/// <summary>
/// Sane bounds for every duration field, by field path. The grammar alone accepts <c>0s</c> tunnels and
/// 999999999-day health-check intervals; these bounds keep values inside what the balancers and the operator can
/// use (a tunnel under a second closes every WebSocket at once; a drain over an hour outlives any rollout).
/// A test fails when a [Duration] field has no entry here. The CRD carries each bound as a CEL rule on the field
/// (the CRD generator's DurationRules), so the API server refuses what wspool refuses, at the same field.
/// </summary>
public static class DurationBounds
{
    public sealed record Bound(TimeSpan Min, TimeSpan Max, string? Why = null);

    private static TimeSpan Ms(int n) => TimeSpan.FromMilliseconds(n);
    private static TimeSpan S(int n) => TimeSpan.FromSeconds(n);
    private static TimeSpan M(int n) => TimeSpan.FromMinutes(n);
    private static TimeSpan H(int n) => TimeSpan.FromHours(n);
    private static TimeSpan D(int n) => TimeSpan.FromDays(n);

    /// <summary>Field path → bound.</summary>
    public static readonly IReadOnlyDictionary<string, Bound> ByPath = new Dictionary<string, Bound>(StringComparer.Ordinal)
    {
        ["spec.healthCheck.interval"] = new(Ms(100), M(5)),
        ["spec.scaling.pollInterval"] = new(S(1), M(5)),
        ["spec.scaling.podStartupTime"] = new(S(1), H(1)),
        ["spec.scaling.scaleUp.stabilizationWindow"] = new(TimeSpan.Zero, H(1)),
        ["spec.scaling.scaleUp.period"] = new(S(1), H(1)),
        ["spec.scaling.scaleDown.stabilizationWindow"] = new(TimeSpan.Zero, H(1)),
        ["spec.scaling.scaleDown.period"] = new(S(1), H(1)),
        ["spec.scaling.rebalance.window"] = new(S(1), H(1)),
        ["spec.drain.timeout"] = new(TimeSpan.Zero, H(1), "a drain longer than an hour outlives any rollout"),
        ["spec.drain.preStopDelay"] = new(TimeSpan.Zero, M(10)),
        ["spec.affinity.cookie.maxAge"] = new(S(1), D(400), "browsers cap cookie lifetimes at 400 days"),
        ["spec.affinity.cookie.maxIdle"] = new(S(1), D(400), "browsers cap cookie lifetimes at 400 days"),
        ["spec.timeouts.connect"] = new(Ms(100), M(5)),
        ["spec.timeouts.httpRequest"] = new(S(1), M(10)),
        ["spec.timeouts.client"] = new(S(1), H(1)),
        ["spec.timeouts.server"] = new(S(1), H(1)),
        ["spec.timeouts.tunnel"] = new(S(1), D(7), "a shorter tunnel timeout closes idle WebSockets at once"),
        ["spec.timeouts.clientFin"] = new(S(1), H(1)),
        ["spec.timeouts.serverFin"] = new(S(1), H(1)),
        ["spec.timeouts.queue"] = new(Ms(100), M(5)),
    };

    /// <summary>The longest drain (preStopDelay + timeout) a pool may ask for.</summary>
    public static readonly TimeSpan MaxTotalDrain = TimeSpan.FromHours(1);

    /// <summary>What wspool and the API server both say about a duration outside its bound.</summary>
    public static string Message(Bound bound) =>
        $"must be between {Format(bound.Min)} and {Format(bound.Max)}" + (bound.Why is null ? "" : $" ({bound.Why})");

    /// <summary>Formats a bound for messages: 100ms, 5m, 1h, 400d.</summary>
    public static string Format(TimeSpan value)
    {
        if (value == TimeSpan.Zero) return "0s";
        if (value.Ticks % TimeSpan.TicksPerDay == 0) return $"{value.Ticks / TimeSpan.TicksPerDay}d";
        if (value.Ticks % TimeSpan.TicksPerHour == 0) return $"{value.Ticks / TimeSpan.TicksPerHour}h";
        if (value.Ticks % TimeSpan.TicksPerMinute == 0) return $"{value.Ticks / TimeSpan.TicksPerMinute}m";
        if (value.Ticks % TimeSpan.TicksPerSecond == 0) return $"{value.Ticks / TimeSpan.TicksPerSecond}s";
        return $"{value.Ticks / TimeSpan.TicksPerMillisecond}ms";
    }
}
