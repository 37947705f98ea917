using WsPool.Core.Scaling;

namespace WsPool.Core.Tests.Scaling;

public sealed class EvennessPlanTests
{
    private static Dictionary<string, long> Pods(params long[] counts) =>
        counts.Select((c, i) => (Name: $"pod-{i}", Count: c)).ToDictionary(p => p.Name, p => p.Count);

    [Fact]
    public void Four_pods_of_770_and_a_new_empty_pod_need_440_moves_to_reach_max_min_one_and_a_half()
    {
        // 110 from each old pod (770 → 660) onto the new one (0 → 440): 660/440 = 1.5. Evening out (616 each) would take 616.
        var plan = EvennessPlan.For(Pods(770, 770, 770, 770, 0), 150);

        plan.Moves.Should().Be(440);
        (plan.Max, plan.Min).Should().Be((660, 440));
        plan.ShedByPod.Should().BeEquivalentTo(new Dictionary<string, long> { ["pod-0"] = 110, ["pod-1"] = 110, ["pod-2"] = 110, ["pod-3"] = 110 });
    }

    [Fact]
    public void A_pool_within_the_bound_needs_no_moves()
    {
        var plan = EvennessPlan.For(Pods(600, 450, 401), 150);

        plan.Moves.Should().Be(0);
        plan.ShedByPod.Should().BeEmpty();
    }

    [Fact]
    public void Fewer_connections_than_pods_is_as_even_as_whole_connections_allow()
    {
        // 3 connections on 5 pods: some pod must hold none, so max/min is never finite; 1,1,1,0,0 is as even as it gets.
        var plan = EvennessPlan.For(Pods(3, 0, 0, 0, 0), 150);

        plan.Moves.Should().Be(2);
        (plan.Max, plan.Min).Should().Be((1, 0));
    }

    [Fact]
    public void A_move_the_level_leaves_over_comes_from_the_hottest_pod_first_by_name()
    {
        // 5,5,0 at 110%: 3 moves. Down to 4 takes one from each; the third (to lift the new pod to 3) comes from pod-0.
        var plan = EvennessPlan.For(Pods(5, 5, 0), 110);

        plan.Moves.Should().Be(3);
        plan.ShedByPod.Should().BeEquivalentTo(new Dictionary<string, long> { ["pod-0"] = 2, ["pod-1"] = 1 });
    }

    public static TheoryData<int> Bounds => new() { 110, 150, 200 };

    [Theory]
    [MemberData(nameof(Bounds))]
    public void Its_moves_are_the_fewest_of_every_possible_plan_for_small_pools(int percent)
    {
        foreach (var counts in SmallPools())
        {
            var plan = EvennessPlan.For(Pods(counts), percent);

            plan.Moves.Should().Be(BruteForce.MinimumMoves(counts, percent), $"pool {string.Join(",", counts)} at {percent}%");
        }
    }

    /// <summary>Every pool of 2 to 4 pods holding 0 to 6 connections each.</summary>
    internal static IEnumerable<long[]> SmallPools()
    {
        for (var n = 2; n <= 4; n++)
            foreach (var counts in BruteForce.Vectors(n, 6))
                yield return counts;
    }
}

/// <summary>The oracle: every final distribution of the same connections, the cheapest one within the bound.</summary>
internal static class BruteForce
{
    public static long MinimumMoves(long[] counts, int percent)
    {
        var total = counts.Sum();
        var best = long.MaxValue;
        foreach (var final in Compositions(total, counts.Length))
            if (EvennessPlan.IsWithin(final.Max(), final.Min(), percent))
                best = Math.Min(best, counts.Zip(final, (c, f) => Math.Max(0, c - f)).Sum());
        return best;
    }

    /// <summary>Every way to put total connections on n pods.</summary>
    public static IEnumerable<long[]> Compositions(long total, int n)
    {
        if (n == 1)
        {
            yield return [total];
            yield break;
        }
        for (var first = 0L; first <= total; first++)
            foreach (var rest in Compositions(total - first, n - 1))
                yield return [first, .. rest];
    }

    /// <summary>Every vector of n counts from 0 to max.</summary>
    public static IEnumerable<long[]> Vectors(int n, long max)
    {
        if (n == 0)
        {
            yield return [];
            yield break;
        }
        for (var first = 0L; first <= max; first++)
            foreach (var rest in Vectors(n - 1, max))
                yield return [first, .. rest];
    }
}
