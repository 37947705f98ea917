using WsPool.Core.Scaling;
using static WsPool.Core.Tests.Scaling.PolicyFixture;

namespace WsPool.Core.Tests.Scaling;

public sealed class RebalancePolicyTests
{
    private static RebalanceSettings Settings(bool enabled = true, int bound = 150, int batch = 50, int perMinute = 5, int windowSeconds = 60) =>
        new(enabled, bound, TimeSpan.FromSeconds(windowSeconds), perMinute, batch);

    /// <summary>Pacing out of the way: the whole plan in one poll.</summary>
    private static RebalanceSettings Unpaced(int bound = 150) => Settings(bound: bound, batch: 10000, perMinute: 100);

    private static Dictionary<string, long> Pods(params long[] counts) =>
        counts.Select((c, i) => (Name: $"pod-{i}", Count: c)).ToDictionary(p => p.Name, p => p.Count);

    // After a scale-out from 4 to 5 pods: the new pod holds nothing.
    private static ConnectionSample AfterScaleOut(double at) => ConnectionSample.Of(At(at), Pods(770, 770, 770, 770, 0));

    private static List<RebalanceDecision> Run(RebalanceSettings settings, params ConnectionSample[] samples)
    {
        var state = RebalanceState.Empty;
        var list = new List<RebalanceDecision>();
        foreach (var sample in samples)
        {
            var d = RebalancePolicy.Decide(settings, state, sample, sample.At, rolloutInProgress: false);
            list.Add(d);
            state = d.NextState;
        }
        return list;
    }

    /// <summary>
    /// The operator's loop behind a leastconn balancer: poll every 5 s; between polls every shed client reconnects,
    /// one at a time, onto the pod with the fewest connections (by name on ties). Runs until the policy has shed
    /// nothing for a window's worth of polls.
    /// </summary>
    private static (long Shed, Dictionary<string, long> Final, List<RebalanceDecision> Decisions) Simulate(
        RebalanceSettings settings, Dictionary<string, long> pods)
    {
        var state = RebalanceState.Empty;
        var decisions = new List<RebalanceDecision>();
        long shed = 0;
        var quiet = 0;
        for (var t = 0.0; quiet * 5 <= settings.Window.TotalSeconds + 5; t += 5)
        {
            (decisions.Count < 10000).Should().BeTrue("the policy settles");
            var d = RebalancePolicy.Decide(settings, state, ConnectionSample.Of(At(t), new Dictionary<string, long>(pods)), At(t), rolloutInProgress: false);
            decisions.Add(d);
            state = d.NextState;
            quiet = d.Requests.Count == 0 ? quiet + 1 : 0;
            foreach (var r in d.Requests) pods[r.Pod] -= r.Count;
            for (var i = 0; i < d.TotalShed; i++)
                pods[pods.OrderBy(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal).First().Key]++;
            shed += d.TotalShed;
        }
        return (shed, pods, decisions);
    }

    [Fact]
    public void Is_off_by_default_and_sheds_nothing()
    {
        var decisions = Run(Settings(enabled: false), AfterScaleOut(0), AfterScaleOut(120));

        decisions.Should().OnlyContain(d => d.Requests.Count == 0);
    }

    [Fact]
    public void A_pool_within_the_bound_sheds_nothing()
    {
        var within = ConnectionSample.Of(At(0), Pods(600, 600, 400));

        var decisions = Run(Unpaced(), within, within with { At = At(120) });

        decisions.Should().OnlyContain(d => d.Requests.Count == 0);
        decisions[^1].Reason.Should().Be("max/min 600/400 within 150%");
    }

    [Fact]
    public void Sheds_nothing_before_the_pool_has_been_above_the_bound_for_the_window()
    {
        var decisions = Run(Settings(), AfterScaleOut(0), AfterScaleOut(30), AfterScaleOut(59));

        decisions.Should().OnlyContain(d => d.Requests.Count == 0);
        decisions[^1].Reason.Should().Be("max/min 770/0 above 150%, waiting out the 60s window");
    }

    [Fact]
    public void A_pool_that_comes_within_the_bound_restarts_its_window()
    {
        var within = ConnectionSample.Of(At(30), Pods(700, 700, 700, 700, 500));

        var decisions = Run(Settings(), AfterScaleOut(0), within, AfterScaleOut(60), AfterScaleOut(89));

        decisions.Should().OnlyContain(d => d.Requests.Count == 0);
    }

    [Fact]
    public void After_the_window_the_hottest_pods_shed_exactly_the_minimum_moves_to_the_bound()
    {
        var decisions = Run(Unpaced(), AfterScaleOut(0), AfterScaleOut(60));

        decisions[^1].Requests.Should().Equal(
            new ShedRequest("pod-0", 110), new ShedRequest("pod-1", 110), new ShedRequest("pod-2", 110), new ShedRequest("pod-3", 110));
        decisions[^1].Reason.Should().Be(
            "max/min 770/0 above 150% for 60s; 440 move(s) bring it to 660/440; shedding 440: pod-0 770→660, pod-1 770→660, pod-2 770→660, pod-3 770→660");
    }

    [Fact]
    public void Once_the_shed_clients_have_landed_on_the_coolest_pod_it_stops()
    {
        var (shed, final, decisions) = Simulate(Unpaced(), Pods(770, 770, 770, 770, 0));

        shed.Should().Be(440);
        final.Should().BeEquivalentTo(Pods(660, 660, 660, 660, 440));
        decisions[^1].Reason.Should().Be("max/min 660/440 within 150%");
    }

    [Fact]
    public void Paced_by_batch_and_budget_it_still_sheds_exactly_the_minimum_moves()
    {
        // 3080 connections, 5% a minute = 154; batches of 50 per pod per poll: about three minutes of shedding.
        var (shed, final, decisions) = Simulate(Settings(batch: 50, perMinute: 5), Pods(770, 770, 770, 770, 0));

        shed.Should().Be(440);
        EvennessPlan.IsWithin(final.Values.Max(), final.Values.Min(), 150).Should().BeTrue($"final {string.Join(",", final.Values)}");
        decisions.SelectMany(d => d.Requests).Should().OnlyContain(r => r.Count <= 50, "at most a batch per pod per poll");
        decisions.Count(d => d.Requests.Count > 0).Should().BeGreaterThan(2, "the budget spreads 440 over several minutes");
    }

    [Fact]
    public void Sheds_at_most_the_per_minute_fraction_of_the_pool()
    {
        // 3080 connections, 5% per minute = 154; batches of 300: 154 at 60s, none until a minute later.
        var settings = Settings(batch: 300);
        var (_, _, decisions) = Simulate(settings, Pods(770, 770, 770, 770, 0));

        var shedAt = decisions.Select((d, i) => (Seconds: i * 5, d.TotalShed)).Where(x => x.TotalShed > 0).ToList();
        shedAt.Should().Equal((60, 154), (120, 154), (180, 132));
    }

    [Fact]
    public void Sheds_no_more_than_one_tenth_above_the_minimum_moves_on_every_small_pool()
    {
        foreach (var percent in new[] { 110, 150, 200 })
            foreach (var counts in EvennessPlanTests.SmallPools())
            {
                var minimum = BruteForce.MinimumMoves(counts, percent);
                var (shed, final, _) = Simulate(Settings(bound: percent, batch: 2, perMinute: 100), Pods(counts));

                var pool = $"pool {string.Join(",", counts)} at {percent}%";
                shed.Should().BeLessThanOrEqualTo((long)Math.Floor(minimum * 1.1), pool);
                EvennessPlan.IsWithin(final.Values.Max(), final.Values.Min(), percent).Should().BeTrue($"{pool} ends {string.Join(",", final.Values)}");
            }
    }

    [Fact]
    public void Sheds_nothing_more_while_the_shed_clients_are_still_reconnecting()
    {
        var settings = Settings(batch: 50, perMinute: 100);
        // Shed 50 from each old pod at 60s; at 65s they have left the old pods, and only 80 of 200 have arrived.
        var inFlight = ConnectionSample.Of(At(65), Pods(720, 720, 720, 720, 80));
        var landed = ConnectionSample.Of(At(70), Pods(720, 720, 720, 720, 200));

        var decisions = Run(settings, AfterScaleOut(0), AfterScaleOut(60), inFlight, landed);

        decisions[1].TotalShed.Should().Be(200);
        decisions[2].Requests.Should().BeEmpty();
        decisions[2].Reason.Should().Be("waiting for the 200 client(s) shed last to reconnect: 2960 of the 3080 connections before it are back (at most 60s)");
        decisions[3].TotalShed.Should().Be(200, "all back: the next 50 from each old pod");
    }

    [Fact]
    public void Sheds_again_a_window_after_a_shed_whose_clients_never_came_back()
    {
        var settings = Settings(batch: 50, perMinute: 100);
        // The 200 shed clients went away for good: the total stays at 2880.
        var gone = (double at) => ConnectionSample.Of(At(at), Pods(720, 720, 720, 720, 0));

        var decisions = Run(settings, AfterScaleOut(0), AfterScaleOut(60), gone(65), gone(119), gone(120));

        decisions.Skip(2).Select(d => d.TotalShed).Should().Equal(0, 0, 200);
    }

    [Fact]
    public void Sheds_nothing_during_a_rollout_and_waits_a_whole_window_after_it()
    {
        var settings = Settings();
        var state = RebalanceState.Empty;
        RebalanceDecision Poll(double at, bool rollout)
        {
            var d = RebalancePolicy.Decide(settings, state, AfterScaleOut(at), At(at), rollout);
            state = d.NextState;
            return d;
        }

        Poll(0, rollout: false);
        var during = Poll(60, rollout: true);
        var justAfter = Poll(65, rollout: false);
        var windowAfter = Poll(125, rollout: false);

        during.Requests.Should().BeEmpty();
        during.Reason.Should().Be("not rebalancing during a rollout");
        justAfter.Requests.Should().BeEmpty();
        windowAfter.Requests.Should().NotBeEmpty();
    }

    [Fact]
    public void A_partial_sample_sheds_nothing()
    {
        var partial = new ConnectionSample(At(60), AfterScaleOut(60).Pods, ["pod-5"]);

        var decisions = Run(Settings(), AfterScaleOut(0), partial);

        decisions[^1].Requests.Should().BeEmpty();
        decisions[^1].Reason.Should().Be("not rebalancing on a partial or failed sample");
    }

    [Fact]
    public void A_single_pod_has_nothing_to_even_out()
    {
        var one = (double at) => ConnectionSample.Of(At(at), Pods(770));

        var decisions = Run(Unpaced(), one(0), one(60));

        decisions.Should().OnlyContain(d => d.Requests.Count == 0 && d.Reason == "not rebalancing fewer than 2 pods");
    }
}
