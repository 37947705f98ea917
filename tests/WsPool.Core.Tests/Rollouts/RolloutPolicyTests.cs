using WsPool.Core.Api;
using WsPool.Core.Rollouts;

namespace WsPool.Core.Tests.Rollouts;

public sealed class RolloutPolicyTests
{
    private static readonly DateTime T0 = new(2026, 12, 5, 10, 0, 0, DateTimeKind.Utc);
    private static readonly RolloutSettings Bound50 = new(MaxReconnectsPerSecond: 50, RoutingSettleTime: TimeSpan.FromSeconds(16));

    private static OldRevision Old(string hash, params (string Pod, int? Connections)[] pods) =>
        new($"chat-backend-{hash}", hash, pods.Select(p => new OldPod(p.Pod, p.Connections)).ToList());

    private static RolloutObservation Seen(string? newRevision, bool ready, string? serving, params OldRevision[] old) =>
        new(newRevision, ready, ready ? 4 : 1, 4, old, serving, null);

    private static RolloutStatus Switched(string revision, DateTime at) =>
        new() { Phase = RolloutPolicy.Switching, Revision = revision, ServingRevision = revision, SwitchedAt = at, StartedAt = at };

    [Fact]
    public void The_takeover_itself_records_a_prewarming_rollout_so_a_restarted_operator_still_drains_the_old_pods()
    {
        var step = RolloutPolicy.Started(Bound50, ["chat-backend-old1"], T0);

        step.Status.Should().BeEquivalentTo(new { Phase = RolloutPolicy.PreWarming, StartedAt = T0, MaxReconnectsPerSecond = 50 });
        step.ServingRevision.Should().BeNull();
        step.Moves.Should().BeEmpty();
        step.Message.Should().Contain("chat-backend-old1");
    }

    [Fact]
    public void Without_old_revisions_there_is_no_rollout_and_the_services_select_every_pod()
    {
        var step = RolloutPolicy.Decide(Bound50, Seen("new1", ready: true, serving: "new1"), null, RolloutPacing.Empty, T0);

        step.InProgress.Should().BeFalse();
        step.ServingRevision.Should().BeNull();
        step.Moves.Should().BeEmpty();
    }

    [Fact]
    public void While_the_new_revision_starts_the_services_keep_their_selection_and_no_client_moves()
    {
        var old = Old("old1", ("a", 500), ("b", null));

        var step = RolloutPolicy.Decide(Bound50, Seen("new1", ready: false, serving: null, old), null, RolloutPacing.Empty, T0);

        step.Status!.Phase.Should().Be(RolloutPolicy.PreWarming);
        step.ServingRevision.Should().BeNull("old pods keep taking new clients until the new revision can");
        step.Moves.Should().Equal([new Core.Scaling.ShedRequest("b", 0)], "pods whose count is unknown are only asked for it");
    }

    [Fact]
    public void Once_the_new_revision_is_ready_the_services_select_it_only_and_wait_for_the_balancer_to_follow()
    {
        var old = Old("old1", ("a", 500));

        var step = RolloutPolicy.Decide(Bound50, Seen("new1", ready: true, serving: null, old), null, RolloutPacing.Empty, T0);

        step.ServingRevision.Should().Be("new1");
        step.Status!.Phase.Should().Be(RolloutPolicy.Switching);
        step.Status.SwitchedAt.Should().Be(T0);
        step.Moves.Should().BeEmpty("a client moved now could still be sent to an old pod");
    }

    [Fact]
    public void No_client_moves_before_the_balancers_routing_settle_time_has_passed()
    {
        var old = Old("old1", ("a", 500));
        var previous = Switched("new1", T0);

        var early = RolloutPolicy.Decide(Bound50, Seen("new1", true, "new1", old), previous, RolloutPacing.Empty, T0.AddSeconds(15.9));
        var settled = RolloutPolicy.Decide(Bound50, Seen("new1", true, "new1", old), previous, RolloutPacing.Empty, T0.AddSeconds(16));

        early.Moves.Should().BeEmpty();
        settled.Status!.Phase.Should().Be(RolloutPolicy.Draining);
        settled.Moves.Sum(m => m.Count).Should().Be(50);
    }

    [Fact]
    public void A_balancer_that_says_it_no_longer_routes_to_old_pods_ends_the_wait_before_the_settle_time()
    {
        var seen = Seen("new1", true, "new1", Old("old1", ("a", 500))) with { OldPodsStillRouted = 0 };

        var step = RolloutPolicy.Decide(Bound50, seen, Switched("new1", T0), RolloutPacing.Empty, T0.AddSeconds(3));

        step.Status!.Phase.Should().Be(RolloutPolicy.Draining);
        step.Moves.Sum(m => m.Count).Should().Be(50);
    }

    [Fact]
    public void A_balancer_that_still_routes_to_an_old_pod_holds_the_moves_past_the_settle_time()
    {
        var seen = Seen("new1", true, "new1", Old("old1", ("a", 500))) with { OldPodsStillRouted = 1 };

        var step = RolloutPolicy.Decide(Bound50, seen, Switched("new1", T0), RolloutPacing.Empty, T0.AddSeconds(30));

        step.Status!.Phase.Should().Be(RolloutPolicy.Switching);
        step.Moves.Should().BeEmpty();
        step.Message.Should().Contain("still sends new connections to 1 old pod(s)");
    }

    [Fact]
    public void A_balancer_stuck_on_an_old_pod_for_four_settle_times_is_given_up_on_and_the_message_says_so()
    {
        var seen = Seen("new1", true, "new1", Old("old1", ("a", 500))) with { OldPodsStillRouted = 1 };

        var step = RolloutPolicy.Decide(Bound50, seen, Switched("new1", T0), RolloutPacing.Empty, T0.AddSeconds(64));

        step.Status!.Phase.Should().Be(RolloutPolicy.Draining);
        step.Message.Should().Contain("moving anyway");
    }

    [Fact]
    public void Draining_empties_the_emptiest_pods_first_within_the_bound()
    {
        var old = Old("old1", ("a", 500), ("b", 30), ("c", 10));

        var step = RolloutPolicy.Decide(Bound50, Seen("new1", true, "new1", old), Switched("new1", T0), RolloutPacing.Empty, T0.AddSeconds(20));

        step.Moves.Should().Equal(new Core.Scaling.ShedRequest("c", 10), new Core.Scaling.ShedRequest("b", 30), new Core.Scaling.ShedRequest("a", 10));
        step.Status!.OldConnections.Should().Be(540 - 50);
    }

    [Fact]
    public void The_bound_holds_over_every_one_second_window_however_often_the_pool_is_looked_at()
    {
        var counts = new Dictionary<string, int> { ["a"] = 400, ["b"] = 400 };
        var pacing = RolloutPacing.Empty;
        var moves = new List<(DateTime At, int Count)>();
        var previous = Switched("new1", T0);
        // Looks every 130 ms, as events and requeues may bring them, for 6 seconds.
        for (var t = T0.AddSeconds(20); t < T0.AddSeconds(26); t = t.AddMilliseconds(130))
        {
            var old = Old("old1", counts.Select(c => (c.Key, (int?)c.Value)).ToArray());
            var step = RolloutPolicy.Decide(Bound50, Seen("new1", true, "new1", old), previous, pacing, t);
            foreach (var m in step.Moves) counts[m.Pod] -= m.Count;
            moves.Add((t, step.Moves.Sum(m => m.Count)));
            pacing = step.Pacing;
            previous = step.Status;
        }

        var worst = moves.Max(m => moves.Where(o => o.At >= m.At && o.At < m.At.AddSeconds(1)).Sum(o => o.Count));
        worst.Should().Be(50, "no one-second window may exceed the bound, and the pacing should use it");
        moves.Sum(m => m.Count).Should().BeInRange(250, 300, "about the bound per second over 6 seconds");
    }

    [Fact]
    public void A_revision_whose_pods_hold_no_connection_is_retired()
    {
        var empty = Old("old1", ("a", 0), ("b", 0));
        var busy = Old("old2", ("c", 5));

        var step = RolloutPolicy.Decide(Bound50, Seen("new1", true, "new1", empty, busy), Switched("new1", T0), RolloutPacing.Empty, T0.AddSeconds(20));

        step.RetiredReplicaSets.Should().Equal("chat-backend-old1");
        step.Moves.Should().Equal(new Core.Scaling.ShedRequest("c", 5));
    }

    [Fact]
    public void A_pod_that_was_not_asked_yet_keeps_its_revision_from_being_retired()
    {
        var step = RolloutPolicy.Decide(Bound50, Seen("new1", true, "new1", Old("old1", ("a", 0), ("b", null))),
            Switched("new1", T0), RolloutPacing.Empty, T0.AddSeconds(20));

        step.RetiredReplicaSets.Should().BeEmpty();
    }

    [Fact]
    public void A_second_template_change_keeps_the_services_on_the_last_ready_revision_until_the_newest_is_ready()
    {
        // old1 was being drained onto new1 when the template changed again: new1 is now old too, new2 is starting.
        var step = RolloutPolicy.Decide(Bound50, Seen("new2", ready: false, serving: "new1", Old("old1", ("a", 100)), Old("new1", ("b", 300))),
            Switched("new1", T0), RolloutPacing.Empty, T0.AddSeconds(30));

        step.ServingRevision.Should().Be("new1", "its pods are ready; old1's pods must not get clients back");
        step.Status!.Phase.Should().Be(RolloutPolicy.PreWarming);
        step.Moves.Should().BeEmpty("clients move once, onto the newest revision, when it is ready");
    }

    [Fact]
    public void A_second_template_change_switches_and_waits_again_for_the_newest_revision()
    {
        var step = RolloutPolicy.Decide(Bound50, Seen("new2", ready: true, serving: "new1", Old("new1", ("b", 300))),
            Switched("new1", T0), RolloutPacing.Empty, T0.AddSeconds(60));

        step.ServingRevision.Should().Be("new2");
        step.Status!.Phase.Should().Be(RolloutPolicy.Switching);
        step.Status.SwitchedAt.Should().Be(T0.AddSeconds(60));
    }

    [Fact]
    public void A_pool_scaled_to_zero_retires_its_old_revisions_at_once()
    {
        var seen = new RolloutObservation(null, false, 0, 0, [Old("old1", ("a", 300))], null, null);

        var step = RolloutPolicy.Decide(Bound50, seen, null, RolloutPacing.Empty, T0);

        step.RetiredReplicaSets.Should().Equal("chat-backend-old1");
        step.Moves.Should().BeEmpty("there is no new pod to move a client to");
    }

    [Fact]
    public void The_default_bound_moves_a_pool_at_its_target_in_about_a_minute()
    {
        var spec = new WebSocketPoolSpec { Connections = new ConnectionsSpec { Target = 1000, Limit = 2000 } };

        RolloutSettings.From(spec, replicas: 6).MaxReconnectsPerSecond.Should().Be(100);
        RolloutSettings.DefaultBound(targetPerPod: 10, replicas: 1).Should().Be(1);
    }

    [Fact]
    public void An_explicit_bound_wins_and_the_settle_time_is_the_balancers()
    {
        var spec = new WebSocketPoolSpec { Rollout = new RolloutSpec { MaxReconnectsPerSecond = 7 } };

        var settings = RolloutSettings.From(spec, replicas: 6);

        settings.MaxReconnectsPerSecond.Should().Be(7);
        settings.RoutingSettleTime.Should().Be(TimeSpan.FromSeconds(16), "the managed HAProxy's DNS TTL, re-resolve and hold obsolete");
    }
}
