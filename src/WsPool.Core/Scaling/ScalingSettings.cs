using WsPool.Core.Api;

namespace WsPool.Core.Scaling;

/// <summary>Stabilization window and rate limit for one direction, in numbers (see <see cref="ScalingRulesSpec"/>).</summary>
public sealed record ScalingRules(TimeSpan StabilizationWindow, int MaxPods, int MaxPercent, TimeSpan Period);

/// <summary>
/// Everything the policy needs from a pool's spec, resolved to numbers once: durations parsed, the pod start-up time
/// chosen (spec, else measured, else a fallback). The policy itself never reads the API types.
/// </summary>
public sealed record ScalingSettings(
    int MinReplicas,
    int MaxReplicas,
    int TargetPerPod,
    int PrewarmPods,
    int PrewarmPercent,
    bool RateAware,
    TimeSpan PodStartupTime,
    TimeSpan RateWindow,
    int TolerancePercent,
    ScalingRules ScaleUp,
    ScalingRules ScaleDown)
{
    /// <summary>The start-up time assumed before any pod of the pool has been seen going Ready and none is set.</summary>
    public static readonly TimeSpan FallbackPodStartupTime = TimeSpan.FromSeconds(20);

    /// <summary>
    /// How far back the arrival rate looks. Long enough to smooth a poll or two of noise, short enough that a surge
    /// shows within a few polls of the default 2s interval.
    /// </summary>
    public static readonly TimeSpan DefaultRateWindow = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Resolves a pool spec. <paramref name="measuredPodStartup"/> is the creation-to-Ready time observed on the
    /// pool's own pods; spec.scaling.podStartupTime wins when set.
    /// </summary>
    public static ScalingSettings From(WebSocketPoolSpec spec, TimeSpan? measuredPodStartup = null)
    {
        var scaling = spec.Scaling;
        var startup = scaling.PodStartupTime is { } text
            ? Duration(text, "spec.scaling.podStartupTime")
            : measuredPodStartup ?? FallbackPodStartupTime;
        return new ScalingSettings(
            MinReplicas: spec.MinReplicas,
            MaxReplicas: spec.MaxReplicas,
            TargetPerPod: spec.Connections.Target,
            PrewarmPods: scaling.Prewarm.Pods,
            PrewarmPercent: scaling.Prewarm.Percent,
            RateAware: scaling.Prewarm.RateAware,
            PodStartupTime: startup,
            RateWindow: DefaultRateWindow,
            TolerancePercent: scaling.TolerancePercent,
            ScaleUp: Rules(scaling.ScaleUp, "spec.scaling.scaleUp"),
            ScaleDown: Rules(scaling.ScaleDown, "spec.scaling.scaleDown"));
    }

    private static ScalingRules Rules(ScalingRulesSpec spec, string path) => new(
        Duration(spec.StabilizationWindow, path + ".stabilizationWindow"),
        spec.MaxPods,
        spec.MaxPercent,
        Duration(spec.Period, path + ".period"));

    /// <summary>Reads a duration with the core's one parser; a bad one names its field (the validator rejects it first).</summary>
    internal static TimeSpan Duration(string? text, string fieldPath) =>
        DurationParser.TryParse(text, out var value)
            ? value
            : throw new FormatException($"{fieldPath}: '{text}' is not a duration such as 500ms, 5s, 1m30s, 1h or 2d");

    /// <summary>How long the policy has to remember recommendations, totals and replica changes.</summary>
    internal TimeSpan Memory => new[]
    {
        ScaleUp.StabilizationWindow, ScaleDown.StabilizationWindow, ScaleUp.Period, ScaleDown.Period, RateWindow,
    }.Max();
}
