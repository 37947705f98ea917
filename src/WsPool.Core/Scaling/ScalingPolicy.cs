using System.Globalization;
using WsPool.Core.Api;

namespace WsPool.Core.Scaling;

/// <summary>
/// wspool's autoscaling policy: pure, deterministic, with time, samples and state as inputs.
/// <list type="number">
/// <item>needed = ceil(total / target); buffer = max(prewarm pods, ceil(needed × prewarm percent / 100)), the
/// Agones buffer. While connections rise, rate-aware pre-warm adds the pods the arrivals of one pod start-up time
/// will need: ceil((total + rate × start-up) / target) − needed. The recommendation is needed + buffer + pre-warm.</item>
/// <item>Tolerance: a stabilized result within tolerance% of the current size keeps the current size, unless the
/// pool is below what the live connections already need.</item>
/// <item>A failed sample holds the current size; a partial one (pods missing) may scale up but never down.</item>
/// <item>Stabilization as in HPA v2: over each direction's window the lowest recommendation bounds a scale-up and
/// the highest bounds a scale-down (scale-up window 0 = at once). Pre-warm is a forecast one start-up time ahead, so
/// a scale-down keeps the highest steady recommendation (needed + buffer) of its window and the highest full one of
/// the last start-up time: pods started for arrivals that did not come are released without waiting out the window.</item>
/// <item>Rate limits as in HPA v2: per period, at most maxPods or maxPercent of the size at the period's start,
/// whichever allows the larger change.</item>
/// <item>The result is always within [min, max].</item>
/// <item>With no history, the current size counts as the latest recommendation (no scale-down on a restart).</item>
/// </list>
/// </summary>
public static class ScalingPolicy
{
    public static ScalingDecision Decide(
        ScalingSettings settings, ScalingState state, int currentReplicas, ConnectionSample sample, DateTime now)
    {
        state = state.Forget(now, settings.Memory);
        // As HPA does: with no history (a new pool, an operator restart) the current size counts as a recommendation
        // made just now, so a restart never starts with a scale-down. It ages out of a zero-length window at once.
        if (state.Recommendations.IsEmpty)
            state = state with { Recommendations = [new RecommendationAt(now - TimeSpan.FromTicks(1), currentReplicas, currentReplicas)] };

        if (sample.Error is not null || (sample.Pods.Count == 0 && sample.MissingPods.Count > 0))
            return Hold(settings, state, currentReplicas, now,
                sample.Error is not null
                    ? $"connection sample failed ({sample.Error})"
                    : $"none of the {sample.MissingPods.Count} ready pods answered");

        var total = sample.Total;
        var target = settings.TargetPerPod;
        var needed = CeilToInt(total / (double)target);
        var percentBuffer = CeilToInt(needed * settings.PrewarmPercent / 100.0);
        var buffer = Math.Max(settings.PrewarmPods, percentBuffer);

        var (rate, rateBuffer) = settings.RateAware && sample.IsComplete
            ? RateBuffer(settings, state, total, now)
            : (0.0, 0);

        var steadyRaw = (int)Math.Min(int.MaxValue, (long)needed + buffer);
        var raw = (int)Math.Min(int.MaxValue, (long)steadyRaw + rateBuffer);
        var why = new List<string>
        {
            $"{total} connections need {needed} pod{Plural(needed)} at {target} per pod",
            $"buffer {buffer} (larger of {settings.PrewarmPods} pod{Plural(settings.PrewarmPods)} and {settings.PrewarmPercent}% = {percentBuffer})",
        };
        if (rateBuffer > 0)
            why.Add($"pre-warm {rateBuffer} for {Number(rate)}/s arriving over a {Seconds(settings.PodStartupTime)} start-up");
        var summary = string.Join("; ", why) + $" → {raw}";

        string? note = null;
        var recommendation = raw;
        var steady = steadyRaw;
        if (!sample.IsComplete && recommendation < currentReplicas)
        {
            note = $"{sample.MissingPods.Count} pod{Plural(sample.MissingPods.Count)} not sampled, never scaling down on a partial sample";
            recommendation = currentReplicas;
        }
        if (!sample.IsComplete) steady = Math.Max(steady, currentReplicas);

        var recommendations = state.Recommendations.Add(new RecommendationAt(now, recommendation, steady));
        var stabilized = Stabilize(settings, recommendations, currentReplicas, now, out var stabilizationNote);
        note ??= stabilizationNote;
        // Tolerance applies to the stabilized result, not to what enters the windows: a recommendation held back by
        // tolerance would otherwise pin the scale-down window at the current size for a whole window again.
        stabilized = Tolerate(settings, stabilized, currentReplicas, needed, ref note);

        var desired = stabilized;
        if (stabilized > currentReplicas)
        {
            var limit = ScaleUpLimit(settings.ScaleUp, state, currentReplicas, now);
            if (limit < desired)
            {
                desired = limit;
                note = $"limited by the scale-up rate ({RuleText(settings.ScaleUp)})";
            }
        }
        else if (stabilized < currentReplicas)
        {
            var limit = ScaleDownLimit(settings.ScaleDown, state, currentReplicas, now);
            if (limit > desired)
            {
                desired = limit;
                note = $"limited by the scale-down rate ({RuleText(settings.ScaleDown)})";
            }
        }

        var clamped = ReplicaBounds.Clamp(desired, settings.MinReplicas, settings.MaxReplicas);
        if (clamped != desired)
            note = clamped == settings.MaxReplicas
                ? $"capped at maxReplicas {settings.MaxReplicas}"
                : $"raised to minReplicas {settings.MinReplicas}";
        desired = clamped;

        var totals = sample.IsComplete ? state.Totals.Add(new TotalAt(now, total)) : state.Totals;
        var changes = desired != currentReplicas
            ? state.Changes.Add(new ReplicaChangeAt(now, currentReplicas, desired))
            : state.Changes;
        var next = new ScalingState(totals, recommendations, changes);

        var outcome = desired > currentReplicas ? $"scaling up {currentReplicas} → {desired}"
            : desired < currentReplicas ? $"scaling down {currentReplicas} → {desired}"
            : $"holding at {currentReplicas}";
        var reason = note is null ? $"{outcome}: {summary}" : $"{outcome} ({note}): {summary}";
        return new ScalingDecision(currentReplicas, desired, reason,
            new ScalingNumbers(total, needed, buffer, rateBuffer, rate, recommendation, stabilized), next);
    }

    private static ScalingDecision Hold(ScalingSettings settings, ScalingState state, int current, DateTime now, string why)
    {
        var desired = ReplicaBounds.Clamp(current, settings.MinReplicas, settings.MaxReplicas);
        var reason = desired == current
            ? $"holding at {current}: {why}; a missing sample never scales down"
            : $"{(desired > current ? "scaling up" : "scaling down")} {current} → {desired} to stay within [{settings.MinReplicas}, {settings.MaxReplicas}]: {why}";
        var changes = desired != current ? state.Changes.Add(new ReplicaChangeAt(now, current, desired)) : state.Changes;
        return new ScalingDecision(current, desired, reason, null, state with { Changes = changes });
    }

    /// <summary>
    /// Arrival rate over the rate window, and the extra pods the connections arriving during one start-up need
    /// beyond what the current ones need; zero unless rising.
    /// </summary>
    private static (double Rate, int Pods) RateBuffer(ScalingSettings settings, ScalingState state, long total, DateTime now)
    {
        var since = now - settings.RateWindow;
        var oldest = state.Totals.FirstOrDefault(t => t.At >= since && t.At < now);
        if (oldest.At == default) return (0, 0);
        var rate = (total - oldest.Total) / (now - oldest.At).TotalSeconds;
        if (rate <= 0) return (rate, 0);
        var expected = total + rate * settings.PodStartupTime.TotalSeconds;
        var target = (double)settings.TargetPerPod;
        return (rate, CeilToInt(expected / target) - CeilToInt(total / target));
    }

    /// <summary>A recommendation within tolerance% of the current size keeps it, unless live connections need more.</summary>
    private static int Tolerate(ScalingSettings settings, int recommendation, int current, int needed, ref string? note)
    {
        if (recommendation == current || current <= 0 || current < needed) return recommendation;
        if (Math.Abs(recommendation - current) * 100L > (long)current * settings.TolerancePercent) return recommendation;
        note ??= $"within the {settings.TolerancePercent}% tolerance of {current}";
        return current;
    }

    private static int Stabilize(ScalingSettings settings, IEnumerable<RecommendationAt> recommendations,
        int current, DateTime now, out string? note)
    {
        note = null;
        var upSince = now - settings.ScaleUp.StabilizationWindow;
        var downSince = now - settings.ScaleDown.StabilizationWindow;
        var prewarmSince = now - settings.PodStartupTime;
        var up = int.MaxValue;
        var down = int.MinValue;
        foreach (var r in recommendations)
        {
            var latest = r.At == now;
            if (latest || r.At > upSince) up = Math.Min(up, r.Replicas);
            if (latest || r.At > downSince) down = Math.Max(down, r.Steady);
            if (latest || (r.At > prewarmSince && r.At > downSince)) down = Math.Max(down, r.Replicas);
        }
        if (up > current) return up;
        if (down < current) return down;
        var last = recommendations.Last().Replicas;
        if (last < current)
            note = $"the highest recommendation in the last {Seconds(settings.ScaleDown.StabilizationWindow)} is {down}";
        else if (last > current)
            note = $"the lowest recommendation in the last {Seconds(settings.ScaleUp.StabilizationWindow)} is {up}";
        return current;
    }

    /// <summary>HPA's scale-up limit: from the size at the start of the period, the policy allowing most wins.</summary>
    private static int ScaleUpLimit(ScalingRules rules, ScalingState state, int current, DateTime now)
    {
        var since = now - rules.Period;
        var added = state.Changes.Where(c => c.At > since && c.To > c.From).Sum(c => c.To - c.From);
        var periodStart = Math.Max(0, current - added);
        var byPods = (long)periodStart + rules.MaxPods;
        var byPercent = (long)Math.Ceiling(periodStart * (100.0 + rules.MaxPercent) / 100.0);
        return (int)Math.Min(int.MaxValue, Math.Max(current, Math.Max(byPods, byPercent)));
    }

    /// <summary>HPA's scale-down limit: from the size at the start of the period, the policy allowing most wins.</summary>
    private static int ScaleDownLimit(ScalingRules rules, ScalingState state, int current, DateTime now)
    {
        var since = now - rules.Period;
        var removed = state.Changes.Where(c => c.At > since && c.To < c.From).Sum(c => c.From - c.To);
        var periodStart = current + removed;
        var byPods = periodStart - rules.MaxPods;
        var byPercent = (int)Math.Floor(periodStart * (100.0 - rules.MaxPercent) / 100.0);
        return Math.Max(0, Math.Min(current, Math.Min(byPods, byPercent)));
    }

    private static int CeilToInt(double value) => (int)Math.Min(int.MaxValue, Math.Ceiling(value - 1e-9));
    private static string Plural(long n) => n == 1 ? "" : "s";
    private static string Number(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);
    private static string RuleText(ScalingRules r) => $"{r.MaxPods} pods or {r.MaxPercent}% per {Seconds(r.Period)}";
    internal static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + "s";
}
