namespace WsPool.Core.Scaling;

/// <summary>
/// The fewest moves that bring a pool within a max/min bound, and which pods give them up. A move is one connection
/// closed on a hot pod that reconnects onto the coolest pod (what a leastconn balancer does with it). After k moves
/// the hottest pod can be no cooler than <see cref="TopAfter"/> (k taken from the top) and the coolest no warmer than
/// <see cref="BottomAfter"/> (k poured in at the bottom); both are reached at once by taking from the hottest and
/// landing on the coolest, so the least k for which those two are within the bound is the minimum any plan needs.
/// </summary>
public sealed record EvennessPlan(long Moves, long Max, long Min, IReadOnlyDictionary<string, long> ShedByPod)
{
    /// <summary>max/min within percent/100, or as even as whole connections allow (max - min ≤ 1: e.g. fewer connections than pods).</summary>
    public static bool IsWithin(long max, long min, int maxToMinPercent) =>
        max - min <= 1 || max * 100 <= (long)maxToMinPercent * min;

    /// <summary>The plan for these per-pod counts: zero moves when they are within the bound already.</summary>
    public static EvennessPlan For(IReadOnlyDictionary<string, long> pods, int maxToMinPercent)
    {
        var counts = pods.Values.ToArray();
        if (counts.Length == 0) return new(0, 0, 0, new Dictionary<string, long>());
        long low = 0, high = counts.Sum();
        while (low < high)
        {
            var k = low + (high - low) / 2;
            if (IsWithin(TopAfter(counts, k), BottomAfter(counts, k), maxToMinPercent)) high = k;
            else low = k + 1;
        }
        return new(low, TopAfter(counts, low), BottomAfter(counts, low), Sheds(pods, low));
    }

    /// <summary>The lowest the hottest pod can be after k connections are taken away: the least H with Σ(c − H)⁺ ≤ k.</summary>
    public static long TopAfter(IReadOnlyList<long> counts, long k)
    {
        long low = 0, high = counts.Max();
        while (low < high)
        {
            var h = low + (high - low) / 2;
            if (counts.Sum(c => Math.Max(0, c - h)) <= k) high = h;
            else low = h + 1;
        }
        return low;
    }

    /// <summary>The highest the coolest pod can be after k connections are added: the greatest L with Σ(L − c)⁺ ≤ k.</summary>
    public static long BottomAfter(IReadOnlyList<long> counts, long k)
    {
        long low = counts.Min(), high = counts.Min() + k;
        while (low < high)
        {
            var l = high - (high - low) / 2;
            if (counts.Sum(c => Math.Max(0, l - c)) <= k) low = l;
            else high = l - 1;
        }
        return low;
    }

    /// <summary>
    /// k moves taken from the top: every pod above the level H gives its excess; what k has left (fewer than the pods
    /// at H) comes one each from the hottest of the pods at H, by name on ties.
    /// </summary>
    private static Dictionary<string, long> Sheds(IReadOnlyDictionary<string, long> pods, long k)
    {
        var sheds = new Dictionary<string, long>();
        if (k == 0) return sheds;
        var level = TopAfter(pods.Values.ToArray(), k);
        var left = k;
        foreach (var (pod, count) in pods)
            if (count > level)
            {
                sheds[pod] = count - level;
                left -= count - level;
            }
        foreach (var (pod, _) in pods.Where(p => p.Value >= level)
                     .OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal).Take((int)left))
            sheds[pod] = sheds.GetValueOrDefault(pod) + 1;
        return sheds;
    }
}
