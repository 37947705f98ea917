using WsPool.Core.Api;
using WsPool.Core.Scaling;

namespace WsPool.Core.Tests.Scaling;

/// <summary>Builds settings from a real spec (defaults unless changed, a 1-pod buffer) and samples spread evenly over pods.</summary>
internal static class PolicyFixture
{
    public static readonly DateTime T0 = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    public static DateTime At(double seconds) => T0.AddSeconds(seconds);

    public static ScalingSettings Settings(Action<WebSocketPoolSpec>? change = null)
    {
        var spec = new WebSocketPoolSpec { MaxReplicas = 1000 };
        spec.Scaling.PodStartupTime = "20s";
        spec.Scaling.Prewarm.Pods = 1; // rules are tested with round numbers, independent of the shipped default
        change?.Invoke(spec);
        return ScalingSettings.From(spec);
    }

    /// <summary>Settings that isolate the sizing rule: no pre-warm by rate, no tolerance, no step limits.</summary>
    public static ScalingSettings SizingOnly(Action<WebSocketPoolSpec>? change = null) => Settings(spec =>
    {
        spec.Scaling.Prewarm.RateAware = false;
        spec.Scaling.TolerancePercent = 0;
        spec.Scaling.ScaleUp.MaxPods = 10000;
        spec.Scaling.ScaleDown = new ScaleDownRulesSpec { StabilizationWindow = "0s", MaxPods = 10000, MaxPercent = 100, Period = "1s" };
        change?.Invoke(spec);
    });

    public static ConnectionSample Sample(double seconds, long total, int pods = 4)
    {
        var counts = new Dictionary<string, long>();
        for (var i = 0; i < pods; i++) counts[$"pod-{i}"] = total / pods + (i < total % pods ? 1 : 0);
        return ConnectionSample.Of(At(seconds), counts);
    }

    /// <summary>Feeds (time, total, replicas) steps in order, threading the state; returns every decision.</summary>
    public static List<ScalingDecision> Run(ScalingSettings settings, int replicas, params (double At, long Total)[] steps)
    {
        var state = ScalingState.Empty;
        var decisions = new List<ScalingDecision>();
        foreach (var (at, total) in steps)
        {
            var decision = ScalingPolicy.Decide(settings, state, replicas, Sample(at, total), At(at));
            decisions.Add(decision);
            state = decision.NextState;
            replicas = decision.DesiredReplicas;
        }
        return decisions;
    }
}
