using k8s.Models;
using WsPool.Core.Rendering;

namespace WsPool.Core.Tests.Rendering;

public class DrainTests
{
    [Fact]
    public void Every_container_sleeps_the_pre_stop_delay_with_the_native_sleep_action()
    {
        var pool = TestPools.Minimal(p =>
        {
            p.Spec.Drain.PreStopDelay = "7s";
            p.Spec.Template.Spec.Containers.Add(new V1Container { Name = "sidecar", Image = "example/sidecar:1" });
        });

        var containers = TestPools.Render(pool).Backend().Spec.Template.Spec.Containers;

        containers.Should().HaveCount(2).And.OnlyContain(c =>
            c.Lifecycle.PreStop.Sleep.Seconds == 7 && c.Lifecycle.PreStop.Exec == null && c.Lifecycle.PreStop.HttpGet == null);
    }

    [Fact]
    public void A_pre_stop_hook_the_user_wrote_is_kept()
    {
        var own = new V1LifecycleHandler { HttpGet = new V1HTTPGetAction { Path = "/drain", Port = 8080 } };
        var pool = TestPools.Minimal(p => p.Spec.Template.Spec.Containers[0].Lifecycle = new V1Lifecycle { PreStop = own });

        var preStop = TestPools.Render(pool).Backend().Container("app").Lifecycle.PreStop;

        preStop.HttpGet.Path.Should().Be("/drain");
        preStop.Sleep.Should().BeNull();
    }

    [Fact]
    public void A_zero_pre_stop_delay_renders_no_hook()
    {
        var pool = TestPools.Minimal(p => p.Spec.Drain.PreStopDelay = "0s");

        TestPools.Render(pool).Backend().Container("app").Lifecycle.Should().BeNull();
    }

    [Fact]
    public void Sub_second_delays_round_up_to_whole_seconds()
    {
        var pool = TestPools.Minimal(p => p.Spec.Drain.PreStopDelay = "1500ms");

        TestPools.Render(pool).Backend().Container("app").Lifecycle.PreStop.Sleep.Seconds.Should().Be(2);
    }

    [Fact]
    public void The_grace_period_covers_pre_stop_delay_plus_drain_timeout_plus_ten_seconds()
    {
        var pool = TestPools.Minimal(p =>
        {
            p.Spec.Drain.PreStopDelay = "5s";
            p.Spec.Drain.Timeout = "1m30s";
        });

        TestPools.Render(pool).Backend().Spec.Template.Spec.TerminationGracePeriodSeconds.Should().Be(5 + 90 + 10);
    }

    [Fact]
    public void A_larger_grace_period_set_by_the_user_is_kept()
    {
        var pool = TestPools.Minimal(p => p.Spec.Template.Spec.TerminationGracePeriodSeconds = 600);

        TestPools.Render(pool).Backend().Spec.Template.Spec.TerminationGracePeriodSeconds.Should().Be(600);
    }

    [Fact]
    public void A_smaller_grace_period_set_by_the_user_is_raised_to_cover_the_drain()
    {
        var pool = TestPools.Minimal(p => p.Spec.Template.Spec.TerminationGracePeriodSeconds = 30);

        TestPools.Render(pool).Backend().Spec.Template.Spec.TerminationGracePeriodSeconds.Should().Be(5 + 60 + 10);
    }

    [Fact]
    public void Rollouts_surge_new_pods_before_any_old_pod_drains()
    {
        var strategy = TestPools.Render(TestPools.Minimal()).Backend().Spec.Strategy;

        strategy.Type.Should().Be("RollingUpdate");
        strategy.RollingUpdate.MaxUnavailable.Value.Should().Be("0");
        strategy.RollingUpdate.MaxSurge.Value.Should().Be("25%");
    }
}

public class DrainSecondsTests
{
    [Theory]
    [InlineData("1500ms", 2)]
    [InlineData("1s", 1)]
    [InlineData("1ms", 1)]
    [InlineData("0ms", 0)]
    [InlineData("1m30s", 90)]
    public void Durations_become_whole_seconds_rounded_up(string text, long seconds)
    {
        DrainLifecycle.CeilingSeconds(text, TimeSpan.Zero).Should().Be(seconds);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("soon")]
    [InlineData("5 s")]
    public void A_duration_that_slipped_past_validation_falls_back_to_the_default(string? text)
    {
        DrainLifecycle.CeilingSeconds(text, TimeSpan.FromSeconds(60)).Should().Be(60);
    }
}
