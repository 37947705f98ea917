namespace WsPool.Bench.Scaling;

/// <summary>
/// A connection trace: how many clients want a connection at each second, plus events that disturb a steady state.
/// <see cref="SurgeStart"/>..<see cref="SurgeEnd"/> is the window secondsToCapacity is measured in (none for a
/// trace without a surge).
/// </summary>
public sealed record Trace(
    string Name,
    string Description,
    int Seconds,
    Func<int, long> Demand,
    int? SurgeStart = null,
    int? SurgeEnd = null,
    double ChurnPerSecond = 0,
    IReadOnlyList<int>? PodCrashes = null)
{
    public static IReadOnlyList<Trace> All { get; } =
    [
        FlashCrowd(),
        Diurnal(),
        Churn(),
        Decline(),
    ];

    /// <summary>0 → 20,000 connections in 60 s (linear), then hold for 14 minutes.</summary>
    public static Trace FlashCrowd() => new(
        "flash-crowd", "0 → 20,000 connections in 60 s, then hold", 900,
        t => t >= 60 ? 20_000 : 20_000L * t / 60,
        SurgeStart: 0, SurgeEnd: 900);

    /// <summary>One day: a night floor of 2,000 rising to a 20,000 peak at 16:00 and back, as a smooth cosine.</summary>
    public static Trace Diurnal() => new(
        "diurnal", "a day: 2,000 at 04:00 rising to 20,000 at 16:00 and back (cosine)", 86_400,
        t => (long)Math.Round(11_000 - 9_000 * Math.Cos(2 * Math.PI * (t - 4 * 3600) / 86_400.0)));

    /// <summary>
    /// 12,000 steady connections, 0.5%/s of them closing and reconnecting; at 10 minutes the busiest pod crashes and
    /// its clients reconnect in a storm (jittered over 10 s).
    /// </summary>
    public static Trace Churn() => new(
        "churn", "12,000 steady with 0.5%/s churn; the busiest pod crashes at 600 s (reconnect storm)", 1_500,
        _ => 12_000,
        SurgeStart: 600, SurgeEnd: 900, ChurnPerSecond: 0.005, PodCrashes: [600]);

    /// <summary>A slow decline from 20,000 to 2,000 over an hour, after 10 minutes at 20,000.</summary>
    public static Trace Decline() => new(
        "decline", "20,000 for 10 min, then a slow decline to 2,000 over an hour", 5_400,
        t => t < 600 ? 20_000 : t > 4_200 ? 2_000 : 20_000 - 18_000L * (t - 600) / 3_600);
}
