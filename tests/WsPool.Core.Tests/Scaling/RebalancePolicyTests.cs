using WsPool.Core.Scaling;
using static WsPool.Core.Tests.Scaling.PolicyFixture;

namespace WsPool.Core.Tests.Scaling;

public sealed class RebalancePolicyTests
{
    private static RebalanceSettings Settings(bool enabled = true, int target = 1000, int batch = 50, int perMinute = 5) =>
        new(enabled, target, ThresholdPercent: 150, Window: TimeSpan.FromSeconds(60), perMinute, batch);

    // After a scale-out from 2 to 4 pods: the two old pods hold everything.
    private static ConnectionSample AfterScaleOut(double at, long hot = 3600, long hot2 = 3400, long cold = 500) =>
        ConnectionSample.Of(At(at), new Dictionary<string, long> { ["old-a"] = hot, ["old-b"] = hot2, ["new-c"] = cold, ["new-d"] = cold });

    private static List<RebalanceDecision> Run(RebalanceSettings settings, params ConnectionSample[] samples)
    {
        var state = RebalanceState.Empty;
        var list = new List<RebalanceDecision>();
        foreach (var sample in samples)
        {
            var d = RebalancePolicy.Decide(settings, state, sample, sample.At);
            list.Add(d);
            state = d.NextState;
        }
        return list;
    }

    [Fact]
    public void Is_off_by_default_and_sheds_nothing()
    {
        var decisions = Run(Settings(enabled: false), AfterScaleOut(0), AfterScaleOut(120));

        decisions.Should().OnlyContain(d => d.Requests.Count == 0);
    }

    [Fact]
    public void A_hot_pod_sheds_nothing_before_the_window_has_passed()
    {
        var decisions = Run(Settings(), AfterScaleOut(0), AfterScaleOut(30), AfterScaleOut(59));

        decisions.Should().OnlyContain(d => d.Requests.Count == 0);
        decisions[^1].Reason.Should().Contain("waiting out the 60s window");
    }

    [Fact]
    public void After_the_window_hot_pods_shed_one_batch_each_hottest_first()
    {
        var decisions = Run(Settings(batch: 50), AfterScaleOut(0), AfterScaleOut(60));

        decisions[^1].Requests.Should().Equal(new ShedRequest("old-a", 50), new ShedRequest("old-b", 50));
        decisions[^1].Reason.Should().Contain("old-a 3600→3550");
    }

    [Fact]
    public void A_pod_that_cools_down_restarts_its_window()
    {
        var decisions = Run(Settings(), AfterScaleOut(0), AfterScaleOut(30, hot: 2000, hot2: 2000, cold: 1500), AfterScaleOut(60), AfterScaleOut(89));

        decisions.Should().OnlyContain(d => d.Requests.Count == 0);
    }

    [Theory]
    [InlineData(1000, 2000)]  // mean 2000 above target: shed down to the mean
    [InlineData(3000, 3000)]  // target above the mean: never below the target
    public void Never_sheds_a_pod_below_the_larger_of_mean_and_target(int target, long floor)
    {
        var settings = Settings(target: target, batch: 10000, perMinute: 100);
        var sample = AfterScaleOut(60, hot: 3700, hot2: 3300, cold: 500);

        var decisions = Run(settings, AfterScaleOut(0, hot: 3700, hot2: 3300, cold: 500), sample);

        foreach (var r in decisions[^1].Requests) (sample.Pods[r.Pod] - r.Count).Should().Be(floor);
    }

    [Fact]
    public void Sheds_at_most_the_per_minute_fraction_of_the_pool()
    {
        // 8000 connections, 5% per minute = 400; batches of 300.
        var settings = Settings(batch: 300);
        var decisions = Run(settings, AfterScaleOut(0), AfterScaleOut(60), AfterScaleOut(62), AfterScaleOut(64), AfterScaleOut(121));

        decisions.Select(d => d.TotalShed).Should().Equal(0, 400, 0, 0, 400);
    }

    [Fact]
    public void A_partial_sample_sheds_nothing()
    {
        var partial = new ConnectionSample(At(60), AfterScaleOut(60).Pods, ["new-e"]);

        var decisions = Run(Settings(), AfterScaleOut(0), partial);

        decisions[^1].Requests.Should().BeEmpty();
    }
}
