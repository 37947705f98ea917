using WsPool.Core.Scaling;
using static WsPool.Core.Tests.Scaling.PolicyFixture;

namespace WsPool.Core.Tests.Scaling;

public sealed class ScalingPolicyTests
{
    [Theory]
    [InlineData(0, 1, 10, 1)]          // nothing needed: the buffer alone, 1 pod
    [InlineData(1000, 1, 10, 2)]       // 1 needed + 1 pod buffer
    [InlineData(1001, 1, 10, 3)]       // needed rounds up: 2 + 1
    [InlineData(20000, 1, 10, 22)]     // 20 needed, 10% = 2 beats 1 pod
    [InlineData(50500, 1, 10, 57)]     // 51 needed, 10% = ceil(5.1) = 6
    [InlineData(20000, 3, 10, 23)]     // 3 pods beat 10% = 2
    [InlineData(20000, 0, 0, 20)]      // no buffer at all
    [InlineData(20000, 0, 50, 30)]     // percent only
    public void Desired_is_needed_plus_the_larger_of_the_pod_and_percent_buffer(long total, int pods, int percent, int expected)
    {
        var settings = SizingOnly(s => { s.Scaling.Prewarm.Pods = pods; s.Scaling.Prewarm.Percent = percent; });

        var decision = ScalingPolicy.Decide(settings, ScalingState.Empty, 1, Sample(0, total), At(0));

        decision.DesiredReplicas.Should().Be(expected);
    }

    [Theory]
    [InlineData(20000, 1, 10, 10)]     // capped at max
    [InlineData(0, 3, 10, 3)]          // raised to min
    [InlineData(5000, 3, 10, 6)]       // inside: untouched
    public void Desired_never_leaves_min_and_max(long total, int min, int max, int expected)
    {
        var settings = SizingOnly(s => { s.MinReplicas = min; s.MaxReplicas = max; });

        var decision = ScalingPolicy.Decide(settings, ScalingState.Empty, min, Sample(0, total), At(0));

        decision.DesiredReplicas.Should().Be(expected);
    }

    [Theory]
    [InlineData(20, 19000, 20)]   // recommendation 19+2 = 21: 5% away, held
    [InlineData(20, 17000, 20)]   // 17+2 = 19: 5% below, held
    [InlineData(20, 21000, 24)]   // 21+3 = 24: 20% away, scaled
    [InlineData(20, 15000, 17)]   // 15+2 = 17: 15% away, scaled down
    public void Changes_within_the_tolerance_are_ignored(int current, long total, int expected)
    {
        var settings = SizingOnly(s => s.Scaling.TolerancePercent = 10);

        var decision = ScalingPolicy.Decide(settings, ScalingState.Empty, current, Sample(0, total), At(0));

        decision.DesiredReplicas.Should().Be(expected);
    }

    [Fact]
    public void Tolerance_never_holds_the_pool_below_what_live_connections_need()
    {
        var settings = SizingOnly(s => { s.Scaling.TolerancePercent = 10; s.Scaling.Prewarm.Pods = 0; s.Scaling.Prewarm.Percent = 0; });

        var decision = ScalingPolicy.Decide(settings, ScalingState.Empty, 20, Sample(0, 20500), At(0));

        decision.DesiredReplicas.Should().Be(21, "21 pods are needed and the pool has 20, though 21 is within 10%");
    }

    [Theory]
    [InlineData(0, 667, 9)]        // 333.5/s × 20s / 1000 = 6.67 → 7 pre-warm; 1 needed + 1 buffer + 7
    [InlineData(1000, 1000, 2)]    // flat: no pre-warm
    [InlineData(5000, 4000, 5)]    // falling: no pre-warm (4 + 1)
    public void Rate_aware_prewarm_adds_the_arrivals_of_one_startup_while_rising(long first, long second, int expected)
    {
        var settings = SizingOnly(s => s.Scaling.Prewarm.RateAware = true);

        var decisions = Run(settings, 1, (0, first), (2, second));

        decisions[1].DesiredReplicas.Should().Be(expected);
    }

    [Fact]
    public void Rate_aware_prewarm_scales_with_the_startup_time()
    {
        var settings = SizingOnly(s => { s.Scaling.Prewarm.RateAware = true; s.Scaling.PodStartupTime = "60s"; });

        var decisions = Run(settings, 1, (0, 0), (2, 667));

        decisions[1].Numbers!.RateBuffer.Should().Be(20, "667 + 333.5/s × 60s = 20,677 connections need 21 pods, 1 of them needed now");
    }

    [Theory]
    [InlineData(3980, 3990, 1)]   // 1/s for 20s: 4,010 connections need 5 pods, 4 needed now → 1
    [InlineData(3900, 3910, 0)]   // 3,930 still fit in the 4 pods needed now → 0
    public void Rate_aware_prewarm_adds_pods_only_when_the_expected_arrivals_cross_a_pod(long first, long second, int expected)
    {
        var settings = SizingOnly(s => s.Scaling.Prewarm.RateAware = true);

        var decisions = Run(settings, 5, (0, first), (10, second));

        decisions[1].Numbers!.RateBuffer.Should().Be(expected);
    }

    [Fact]
    public void Prewarm_pods_for_arrivals_that_stopped_are_released_after_one_startup_not_the_whole_window()
    {
        var settings = Settings(s => { s.Scaling.TolerancePercent = 0; s.Scaling.ScaleDown.MaxPods = 100; });

        // 300/s for 10s, then flat at 10,000: at t=10 pre-warm wants 6 more pods (16,000 expected after 20s).
        var decisions = Run(settings, 12, (0, 7000), (10, 10000), (20, 10000), (29, 10000), (31, 10000));

        decisions.Select(d => d.DesiredReplicas).Should().Equal(new[] { 12, 17, 17, 17, 12 },
            "the 5 pods started for arrivals that stopped are kept one 20s start-up, then only the window's steady 12 holds");
    }

    [Fact]
    public void Rate_aware_prewarm_is_off_when_disabled()
    {
        var decisions = Run(SizingOnly(), 1, (0, 0), (2, 667));

        decisions[1].DesiredReplicas.Should().Be(2);
    }

    [Fact]
    public void Rate_is_measured_only_over_the_rate_window()
    {
        var settings = SizingOnly(s => s.Scaling.Prewarm.RateAware = true);

        // The rise happened 30s ago; within the last 10s the total is flat.
        var decisions = Run(settings, 1, (0, 0), (2, 5000), (20, 5000), (30, 5000));

        decisions[^1].Numbers!.RateBuffer.Should().Be(0);
    }

    [Theory]
    [InlineData(1, 5)]     // 1 + 4 pods beats 100% of 1
    [InlineData(4, 8)]     // 4 + 4 = 100% of 4
    [InlineData(10, 20)]   // 100% of 10 beats 10 + 4
    public void Scale_up_is_limited_to_the_larger_of_max_pods_and_max_percent_per_period(int current, int expected)
    {
        var settings = Settings(s => { s.Scaling.Prewarm.RateAware = false; s.Scaling.TolerancePercent = 0; });

        var decision = ScalingPolicy.Decide(settings, ScalingState.Empty, current, Sample(0, 100_000), At(0));

        decision.DesiredReplicas.Should().Be(expected);
        decision.Reason.Should().Contain("limited by the scale-up rate (4 pods or 100% per 15s)");
    }

    [Fact]
    public void Scale_up_counts_what_was_added_earlier_in_the_period()
    {
        var settings = Settings(s => { s.Scaling.Prewarm.RateAware = false; s.Scaling.TolerancePercent = 0; });

        var decisions = Run(settings, 4, (0, 100_000), (5, 100_000), (14, 100_000), (16, 100_000));

        decisions.Select(d => d.DesiredReplicas).Should().Equal(8, 8, 8, 16);
    }

    [Fact]
    public void Scale_up_happens_at_once_by_default()
    {
        var decisions = Run(Settings(), 2, (0, 3000));

        decisions[0].DesiredReplicas.Should().Be(4);
    }

    [Fact]
    public void A_scale_up_stabilization_window_uses_the_lowest_recommendation_in_it()
    {
        var settings = SizingOnly(s => s.Scaling.ScaleUp.StabilizationWindow = "30s");

        var decisions = Run(settings, 2, (0, 1000), (10, 9000), (31, 9000));

        decisions.Select(d => d.DesiredReplicas).Should().Equal(2, 2, 10);
    }

    [Fact]
    public void Scale_down_waits_for_the_window_and_the_highest_recommendation_in_it_wins()
    {
        var settings = Settings(s => { s.Scaling.Prewarm.RateAware = false; s.Scaling.TolerancePercent = 0; });

        var decisions = Run(settings, 22, (0, 20000), (100, 10000), (200, 3000), (301, 3000), (401, 3000), (501, 3000));

        decisions.Select(d => d.DesiredReplicas).Should().Equal(
            22, // recommendation 22
            22, // 11 recommended, 22 still in the window
            22,
            19, // 22 left the window; highest is now 11 (t=100), limited by 1 pod or 10% per 60s: floor(22 × 0.9)
            17, // 12 → 4 … highest in window is 4 (t=200); floor(19 × 0.9) = 17
            15);
        decisions[1].Reason.Should().Contain("the highest recommendation in the last 300s is 22");
        decisions[3].Reason.Should().Contain("limited by the scale-down rate (1 pods or 10% per 60s)");
    }

    [Fact]
    public void Scale_down_counts_what_was_removed_earlier_in_the_period()
    {
        var settings = SizingOnly(s => s.Scaling.ScaleDown = new() { StabilizationWindow = "0s", MaxPods = 2, MaxPercent = 0, Period = "60s" });

        var decisions = Run(settings, 10, (0, 0), (30, 0), (61, 0));

        decisions.Select(d => d.DesiredReplicas).Should().Equal(8, 8, 6);
    }

    [Fact]
    public void A_failed_sample_holds_the_current_size()
    {
        var settings = SizingOnly();

        var decision = ScalingPolicy.Decide(settings, ScalingState.Empty, 8, ConnectionSample.Failed(At(0), "balancer unreachable"), At(0));

        decision.DesiredReplicas.Should().Be(8);
        decision.Reason.Should().Be("holding at 8: connection sample failed (balancer unreachable); a missing sample never scales down");
    }

    [Fact]
    public void A_failed_sample_still_respects_min_and_max()
    {
        var settings = SizingOnly(s => s.MaxReplicas = 5);

        var decision = ScalingPolicy.Decide(settings, ScalingState.Empty, 8, ConnectionSample.Failed(At(0), "timeout"), At(0));

        decision.DesiredReplicas.Should().Be(5);
    }

    [Fact]
    public void A_partial_sample_never_scales_down()
    {
        var sample = new ConnectionSample(At(0), new Dictionary<string, long> { ["pod-0"] = 10 }, ["pod-1", "pod-2"]);

        var decision = ScalingPolicy.Decide(SizingOnly(), ScalingState.Empty, 8, sample, At(0));

        decision.DesiredReplicas.Should().Be(8);
        decision.Reason.Should().Contain("2 pods not sampled, never scaling down on a partial sample");
    }

    [Fact]
    public void A_partial_sample_may_scale_up_since_it_can_only_undercount()
    {
        var sample = new ConnectionSample(At(0), new Dictionary<string, long> { ["pod-0"] = 9000 }, ["pod-1"]);

        var decision = ScalingPolicy.Decide(SizingOnly(), ScalingState.Empty, 2, sample, At(0));

        decision.DesiredReplicas.Should().Be(10);
    }

    [Fact]
    public void A_failed_sample_does_not_enter_the_scale_down_window()
    {
        var settings = Settings(s => s.Scaling.Prewarm.RateAware = false);
        var first = ScalingPolicy.Decide(settings, ScalingState.Empty, 10, Sample(0, 9000), At(0));

        var failed = ScalingPolicy.Decide(settings, first.NextState, 10, ConnectionSample.Failed(At(2), "x"), At(2));

        failed.NextState.Recommendations.Should().Equal(first.NextState.Recommendations);
    }

    [Fact]
    public void The_reason_carries_the_numbers()
    {
        var decisions = Run(Settings(), 4, (0, 0), (2, 667));

        decisions[1].Reason.Should().Be(
            "scaling up 4 → 8 (limited by the scale-up rate (4 pods or 100% per 15s)): 667 connections need 1 pod at 1000 per pod; " +
            "buffer 1 (larger of 1 pod and 10% = 1); pre-warm 7 for 333.5/s arriving over a 20s start-up → 9");
    }

    [Fact]
    public void With_no_history_the_current_size_holds_through_the_scale_down_window()
    {
        var decisions = Run(Settings(), 10, (0, 0), (299, 0), (301, 0));

        decisions.Select(d => d.DesiredReplicas).Should().Equal(10, 10, 9);
    }

    [Fact]
    public void State_only_remembers_as_far_back_as_the_longest_window()
    {
        var decisions = Run(Settings(), 2, Enumerable.Range(0, 400).Select(i => (i * 2.0, 1000L)).ToArray());

        decisions[^1].NextState.Recommendations.Should().HaveCountLessThanOrEqualTo(151);
        decisions[^1].NextState.Totals.Should().HaveCountLessThanOrEqualTo(151);
    }

    [Fact]
    public void Settings_name_a_bad_duration_field()
    {
        var spec = new WsPool.Core.Api.WebSocketPoolSpec();
        spec.Scaling.ScaleDown.StabilizationWindow = "5 minutes";

        FluentActions.Invoking(() => ScalingSettings.From(spec))
            .Should().Throw<FormatException>().WithMessage("spec.scaling.scaleDown.stabilizationWindow: *");
    }
}
