namespace WsPool.Bench.Rollout;

/// <summary>The arithmetic of the figures, pure: percentiles, per-second peaks, evenness and the fewest moves.</summary>
public static class Figures
{
    /// <summary>The nearest-rank percentile (p in 0..100) of the values; 0 for none.</summary>
    public static double Percentile(IReadOnlyList<int> values, double p)
    {
        if (values.Count == 0) return 0;
        var sorted = values.Order().ToArray();
        return sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Length) - 1, 0, sorted.Length - 1)];
    }

    /// <summary>The most events in any one-second bucket counted from <paramref name="start"/>.</summary>
    public static int PeakPerSecond(IEnumerable<DateTimeOffset> times, DateTimeOffset start) =>
        times.GroupBy(t => (long)Math.Floor((t - start).TotalSeconds)).Select(g => g.Count()).DefaultIfEmpty(0).Max();

    /// <summary>max/min over the pods; +∞ when a pod has none.</summary>
    public static double Evenness(IReadOnlyCollection<int> perPod) =>
        perPod.Count == 0 ? double.NaN : perPod.Min() == 0 ? double.PositiveInfinity : (double)perPod.Max() / perPod.Min();

    /// <summary>
    /// The fewest single-connection moves that turn <paramref name="perPod"/> into a distribution with max/min ≤
    /// <paramref name="bound"/> (the total stays). For a band [m, ⌊bound·m⌋] that can hold the total, pods above the
    /// band must give their excess E and pods below must receive their deficit D; the rest can absorb or give the
    /// difference within the band, so max(E, D) moves suffice and are needed. The answer is the least over m.
    /// </summary>
    public static int MinimumMoves(IReadOnlyList<int> perPod, double bound)
    {
        var n = perPod.Count;
        var total = perPod.Sum();
        if (n == 0) return 0;
        var best = int.MaxValue;
        for (var low = 0; (long)low * n <= total; low++)
        {
            var high = (int)Math.Floor(bound * low + 1e-9);
            if (low == 0) high = 0;
            if ((long)high * n < total) continue;
            long excess = perPod.Sum(c => Math.Max(0, c - high));
            long deficit = perPod.Sum(c => Math.Max(0, low - c));
            best = (int)Math.Min(best, Math.Max(excess, deficit));
        }
        return best == int.MaxValue ? 0 : best;
    }
}
