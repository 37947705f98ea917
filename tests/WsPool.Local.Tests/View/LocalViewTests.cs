using WsPool.Local.View;
using static WsPool.Local.Tests.View.Snapshots;

namespace WsPool.Local.Tests.View;

public sealed class LocalViewTests
{
    private static string Draw(LocalSnapshot snapshot) => ConsoleText.Of(LocalView.Render(snapshot));

    [Fact]
    public void The_header_names_the_pool_and_the_url_to_connect_to()
    {
        var text = Draw(With());

        ConsoleText.LineWith(text, "wspool local").Should().Contain("chat/chat").And.Contain("ws://127.0.0.1:8080/ws");
    }

    [Fact]
    public void Each_pod_is_a_row_with_its_address_state_connections_and_restarts()
    {
        var text = Draw(With(Ready("chat-7d9f-a", "127.0.0.2", 1500) with { Restarts = 2 }, Ready("chat-7d9f-b", "127.0.0.3", 250)));

        ConsoleText.LineWith(text, "chat-7d9f-a").Should().MatchRegex(@"chat-7d9f-a\s+127\.0\.0\.2\s+ready\s+1,500\s+\S+\s+2");
        ConsoleText.LineWith(text, "chat-7d9f-b").Should().MatchRegex(@"chat-7d9f-b\s+127\.0\.0\.3\s+ready\s+250\s+\S+\s+0");
    }

    [Fact]
    public void A_pod_s_row_carries_its_load_bar_against_target_and_limit()
    {
        var text = Draw(With(Ready("chat-a", "127.0.0.2", 3000)));

        ConsoleText.LineWith(text, "chat-a").Should().Contain(LoadBar.Text(3000, 2000, 4000));
        ConsoleText.LineWith(text, "LOAD").Should().Contain("| target 2,000, end limit 4,000");
    }

    [Fact]
    public void A_draining_pod_is_shown_draining_with_the_connections_left_and_the_seconds_since_termination()
    {
        var draining = Ready("chat-old", "127.0.0.4", 37) with { Ready = false, TerminatingSince = Now.AddSeconds(-12) };

        var text = Draw(With(Ready("chat-a", "127.0.0.2", 100), draining));

        ConsoleText.LineWith(text, "chat-old").Should().Contain("draining 37 left · 12s");
    }

    [Fact]
    public void A_terminating_pod_with_no_connections_left_is_shown_terminating_not_draining()
    {
        var text = Draw(With(Ready("chat-old", "127.0.0.4", 0) with { Ready = false, TerminatingSince = Now.AddSeconds(-3) }));

        ConsoleText.LineWith(text, "chat-old").Should().Contain("terminating · 3s").And.NotContain("draining");
    }

    [Fact]
    public void A_running_pod_that_is_not_ready_yet_is_shown_starting_and_a_pod_without_an_address_pending()
    {
        var text = Draw(With(Ready("chat-new", "127.0.0.5", 0) with { Ready = false }, new PodSnapshot { Name = "chat-newer" }));

        ConsoleText.LineWith(text, "chat-new ").Should().Contain("starting");
        ConsoleText.LineWith(text, "chat-newer").Should().MatchRegex(@"chat-newer\s+-\s+pending");
    }

    [Fact]
    public void Serving_pods_are_listed_before_terminating_ones()
    {
        var text = Draw(With(Ready("chat-a", "127.0.0.4", 5) with { TerminatingSince = Now }, Ready("chat-b", "127.0.0.2", 5)));

        text.IndexOf("chat-b", StringComparison.Ordinal).Should().BeLessThan(text.IndexOf("chat-a", StringComparison.Ordinal));
    }

    [Fact]
    public void The_replicas_line_shows_desired_and_ready_against_min_and_max()
    {
        var text = Draw(With(Ready("chat-a", "127.0.0.2", 10)));

        ConsoleText.LineWith(text, "replicas").Should().Contain("replicas 3 desired / 2 ready (min 2, max 12)")
            .And.Contain("per pod target 2,000, limit 4,000");
    }

    [Fact]
    public void Warm_capacity_is_what_the_serving_pods_take_before_their_target_and_draining_pods_do_not_count()
    {
        var snapshot = With(
            Ready("chat-a", "127.0.0.2", 1500),
            Ready("chat-b", "127.0.0.3", 500),
            Ready("chat-old", "127.0.0.4", 900) with { Ready = false, TerminatingSince = Now.AddSeconds(-5) });

        snapshot.WarmCapacity.Should().Be(2 * 2000 - 2000);
        ConsoleText.LineWith(Draw(snapshot), "warm capacity").Should().Contain("connections 2,900 · warm capacity 2,000")
            .And.Contain("draining: 1 pod, 900 connections left");
    }

    [Fact]
    public void Warm_capacity_never_goes_below_zero_when_pods_run_past_their_target()
    {
        With(Ready("chat-a", "127.0.0.2", 3500)).WarmCapacity.Should().Be(0);
    }

    [Fact]
    public void Balancer_reloads_read_zero_while_scaling_goes_through_dns()
    {
        var text = Draw(With() with { BalancerReloads = 0 });

        ConsoleText.LineWith(text, "reloads").Should().Contain("balancer reloads 0");
    }

    [Fact]
    public void Balancer_reloads_above_zero_are_called_out()
    {
        var text = Draw(With() with { BalancerReloads = 2 });

        ConsoleText.LineWith(text, "reloads").Should().Contain("balancer reloads 2 (expected 0");
    }

    [Fact]
    public void The_latest_five_scaling_decisions_are_listed_newest_first_with_their_age()
    {
        var decisions = Enumerable.Range(1, 7)
            .Select(i => new ScalingDecision(Now.AddSeconds(-10 * i), "ScaledUp", $"decision {i}"))
            .ToList();

        var text = Draw(With() with { Decisions = decisions });

        var shown = text.Split('\n').Where(l => l.Contains("decision ")).Select(l => l.Trim()).ToList();
        shown.Should().HaveCount(5);
        shown[0].Should().MatchRegex(@"^10s ago\s+ScaledUp\s+decision 1$");
        shown[4].Should().Contain("decision 5");
        text.Should().NotContain("decision 6");
    }

    [Fact]
    public void With_no_scaling_decision_yet_the_view_says_so()
    {
        ConsoleText.LineWith(Draw(With()), "scaling decisions").Should().Contain("none yet");
    }

    [Fact]
    public void Brackets_in_a_decision_message_are_shown_as_text_not_read_as_markup()
    {
        var decision = new ScalingDecision(Now, "ScaledUp", "scaling up 2 → 3 [limited by the scale-up rate]: 4100 connections");

        var text = Draw(With() with { Decisions = [decision] });

        text.Should().Contain("scaling up 2 → 3 [limited by the scale-up rate]: 4100 connections");
    }

    [Fact]
    public void With_no_pods_yet_the_view_says_so()
    {
        Draw(With()).Should().Contain("no pods yet");
    }
}
