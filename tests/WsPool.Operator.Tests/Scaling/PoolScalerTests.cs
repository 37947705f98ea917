using k8s.Models;
using WsPool.Core.Api;
using WsPool.Operator.Scaling;

namespace WsPool.Operator.Tests.Scaling;

/// <summary>
/// PoolScaler against real chat servers: pod objects are made by the test as the ReplicaSet would, with the servers'
/// loopback addresses as pod IPs. Small targets keep the connection counts small.
/// </summary>
public sealed class PoolScalerTests
{
    private static readonly DateTime T0 = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private static WebSocketPool Pool(ChatPool chat, Action<WebSocketPoolSpec>? change = null)
    {
        var spec = new WebSocketPoolSpec
        {
            Port = chat.Port,
            MinReplicas = 1,
            MaxReplicas = 20,
            Connections = new ConnectionsSpec { Target = 2, Limit = 4 },
        };
        spec.Scaling.Enabled = true;
        spec.Scaling.Metrics.Source = MetricsSource.Pods;
        spec.Scaling.Prewarm = new PrewarmSpec { Pods = 0, Percent = 0, RateAware = false };
        spec.Scaling.TolerancePercent = 0;
        spec.Scaling.Rebalance.AdminPort = chat.AdminPort;
        change?.Invoke(spec);
        return new WebSocketPool { Metadata = new V1ObjectMeta { Name = "chat", NamespaceProperty = "default", Uid = Guid.NewGuid().ToString() }, Spec = spec };
    }

    private static PoolScaler Scaler(ChatPool chat)
    {
        var options = new ScraperOptions { RequestTimeout = TimeSpan.FromSeconds(2) };
        var http = new HttpClient();
        return new PoolScaler(new PodMetricsScraper(http, options), new BalancerSessionsScraper(http, options), options);
    }

    [Fact]
    public async Task Rising_connections_scale_up_at_once_with_the_numbers_in_the_reason_and_event()
    {
        await using var chat = await ChatPool.StartAsync(2);
        await chat.ConnectAsync(0, 4);
        await chat.ConnectAsync(1, 3);

        var result = await Scaler(chat).EvaluateAsync(Pool(chat), chat.Pods(), [], 2, T0, rolloutInProgress: false, default);

        result.DesiredReplicas.Should().Be(4, "7 connections at 2 per pod need 4 pods");
        result.Decision.Reason.Should().StartWith("scaling up 2 → 4: 7 connections need 4 pods at 2 per pod");
        result.Events.Should().ContainSingle(e => e.Reason == "ScaledUp" && e.Note == result.Decision.Reason);
        result.Condition.Should().Be(new ScalingConditionValue(true, "ScaledUp", result.Decision.Reason));
        result.DeletionCosts.Should().BeEmpty("deletion costs are set only right before a scale-down");
        result.Connections!.Total.Should().Be(7);
        result.Connections!.Pods!.Select(p => (p.Name, p.Connections)).Should().Equal(("pod-0", 4L), ("pod-1", 3L));
    }

    [Fact]
    public async Task Falling_connections_scale_down_after_the_window_giving_the_emptiest_pods_the_lowest_deletion_cost()
    {
        await using var chat = await ChatPool.StartAsync(3);
        await chat.ConnectAsync(0, 3);
        await chat.ConnectAsync(2, 1);
        var scaler = Scaler(chat);
        var pool = Pool(chat, s => s.Scaling.ScaleDown = new ScaleDownRulesSpec { StabilizationWindow = "60s", MaxPods = 1, MaxPercent = 0, Period = "60s" });

        var first = await scaler.EvaluateAsync(pool, chat.Pods(), [], 3, T0, rolloutInProgress: false, default);
        var inWindow = await scaler.EvaluateAsync(pool, chat.Pods(), [], 3, T0.AddSeconds(30), rolloutInProgress: false, default);
        var after = await scaler.EvaluateAsync(pool, chat.Pods(), [], 3, T0.AddSeconds(61), rolloutInProgress: false, default);

        first.DesiredReplicas.Should().Be(3, "the current size counts as a recommendation until the window has passed");
        inWindow.DesiredReplicas.Should().Be(3);
        after.DesiredReplicas.Should().Be(2);
        after.DeletionCosts.Should().BeEquivalentTo(new Dictionary<string, string> { ["pod-0"] = "3", ["pod-1"] = "0", ["pod-2"] = "1" });
        after.Events.Should().ContainSingle(e => e.Reason == "ScaledDown");
    }

    [Fact]
    public async Task A_pod_that_stops_answering_never_causes_a_scale_down()
    {
        await using var chat = await ChatPool.StartAsync(3);
        await chat.ConnectAsync(0, 1);
        var scaler = Scaler(chat);
        var pool = Pool(chat, s => s.Scaling.ScaleDown = new ScaleDownRulesSpec { StabilizationWindow = "0s", MaxPods = 10, MaxPercent = 100, Period = "1s" });
        var pods = chat.Pods();
        await chat.Servers[1].DisposeAsync(); // killed; its pod object still says Ready

        var result = await scaler.EvaluateAsync(pool, pods, [], 3, T0, rolloutInProgress: false, default);

        result.DesiredReplicas.Should().Be(3, "1 connection would need 1 pod, but pod-1 was not read");
        result.Decision.Reason.Should().Contain("1 pod not sampled, never scaling down on a partial sample");
        result.ScrapeFailures.Should().ContainKey("pod-1");
        result.Condition.Reason.Should().Be("PartialMetrics");
        result.DeletionCosts.Should().BeEmpty();
    }

    [Fact]
    public async Task Pods_that_are_not_ready_are_not_scraped()
    {
        await using var chat = await ChatPool.StartAsync(2);
        await chat.ConnectAsync(1, 2);

        var result = await Scaler(chat).EvaluateAsync(Pool(chat), [chat.Pod(0), chat.Pod(1, ready: false)], [], 2, T0, rolloutInProgress: false, default);

        result.Connections!.Pods!.Select(p => p.Name).Should().Equal("pod-0");
        result.Connections!.Total.Should().Be(0);
    }

    [Fact]
    public async Task Rebalancing_sheds_from_a_hot_pod_and_its_clients_can_reconnect_onto_the_emptier_one()
    {
        await using var chat = await ChatPool.StartAsync(2);
        var hotClients = await chat.ConnectAsync(0, 8);
        var scaler = Scaler(chat);
        var pool = Pool(chat, s =>
        {
            s.Connections = new ConnectionsSpec { Target = 2, Limit = 20 };
            s.MaxReplicas = 2;
            s.Scaling.Rebalance = new RebalanceSpec { Enabled = true, MaxToMinPercent = 150, Window = "10s", MaxShedPercentPerMinute = 50, BatchSize = 3, AdminPort = chat.AdminPort };
        });

        var early = await scaler.EvaluateAsync(pool, chat.Pods(), [], 2, T0, rolloutInProgress: false, default);
        var due = await scaler.EvaluateAsync(pool, chat.Pods(), [], 2, T0.AddSeconds(10), rolloutInProgress: false, default);

        early.Shed.Should().BeEmpty("the pool has not been above max/min 1.5 for the 10s window yet");
        due.Shed.Should().Equal(new ShedTarget("pod-0", chat.Servers[0].Address, chat.AdminPort, 3));
        due.Rebalance.Reason.Should().Contain("pod-0 8→5");
        due.Events.Should().NotContain(e => e.Reason == "Rebalanced", "the reconciler records it once the pod has answered");

        var shed = new ShedClient(new HttpClient(), new ScraperOptions());
        var result = await shed.ShedAsync(due.Shed[0], default);
        result.Closed.Should().Be(3);
        await chat.WaitForConnectionsAsync(0, c => c == 5);

        // The shed clients (close 1012) reconnect; the emptier pod takes them, as leastconn would send them.
        var closed = await chat.ClosedAsync(hotClients, 3);
        closed.Should().HaveCount(3);
        await chat.ConnectAsync(1, closed.Count);
        var after = await scaler.EvaluateAsync(pool, chat.Pods(), [], 2, T0.AddSeconds(12), rolloutInProgress: false, default);
        after.Connections!.Pods!.Select(p => (p.Name, p.Connections)).Should().Equal(("pod-0", 5L), ("pod-1", 3L));
    }

    [Fact]
    public async Task During_a_rollout_the_pool_sheds_nothing_and_rebalances_once_it_is_over()
    {
        await using var chat = await ChatPool.StartAsync(2);
        await chat.ConnectAsync(0, 8);
        var pool = Pool(chat, s =>
        {
            s.MaxReplicas = 2;
            s.Connections = new ConnectionsSpec { Target = 2, Limit = 20 };
            s.Scaling.Rebalance = new RebalanceSpec { Enabled = true, Window = "0s", MaxShedPercentPerMinute = 100, BatchSize = 8, AdminPort = chat.AdminPort };
        });

        var rollingOut = await Scaler(chat).EvaluateAsync(pool, chat.Pods(), [], 2, T0, rolloutInProgress: true, default);
        var settled = await Scaler(chat).EvaluateAsync(pool, chat.Pods(), [], 2, T0, rolloutInProgress: false, default);

        rollingOut.Shed.Should().BeEmpty();
        rollingOut.Rebalance.Reason.Should().Be("not rebalancing during a rollout");
        settled.Shed.Should().Equal(new ShedTarget("pod-0", chat.Servers[0].Address, chat.AdminPort, 4));
    }

    [Fact]
    public async Task During_a_rollout_the_pool_does_not_shrink()
    {
        await using var chat = await ChatPool.StartAsync(2);
        var pool = Pool(chat, s =>
        {
            s.MinReplicas = 1;
            s.MaxReplicas = 4;
            s.Scaling.ScaleDown = new ScaleDownRulesSpec { StabilizationWindow = "0s" };
        });

        var rollingOut = await Scaler(chat).EvaluateAsync(pool, chat.Pods(), [], 3, T0, rolloutInProgress: true, default);
        var settled = await Scaler(chat).EvaluateAsync(pool, chat.Pods(), [], 3, T0, rolloutInProgress: false, default);

        rollingOut.DesiredReplicas.Should().Be(3, rollingOut.Decision.Reason);
        rollingOut.Decision.Reason.Should().StartWith("holding at 3 during a rollout");
        settled.DesiredReplicas.Should().BeLessThan(3, "an idle pool shrinks once no rollout runs");
    }

    [Fact]
    public async Task A_named_admin_port_is_resolved_on_each_pod_and_a_pod_without_it_gets_no_port_but_a_reason()
    {
        await using var chat = await ChatPool.StartAsync(2);
        await chat.ConnectAsync(0, 8);
        var scaler = Scaler(chat);
        var pool = Pool(chat, s =>
        {
            s.Connections = new ConnectionsSpec { Target = 1, Limit = 20 };
            s.MaxReplicas = 2;
            s.Scaling.Rebalance = new RebalanceSpec { Enabled = true, Window = "0s", MaxShedPercentPerMinute = 100, BatchSize = 2, AdminPort = "admin" };
        });
        var named = chat.Pod(0);
        named.Spec.Containers[0].Ports.Add(new V1ContainerPort { Name = "admin", ContainerPort = chat.AdminPort });

        var withPort = await scaler.EvaluateAsync(pool, [named, chat.Pod(1)], [], 2, T0, rolloutInProgress: false, default);
        scaler.Forget(pool);
        var withoutPort = await scaler.EvaluateAsync(pool, chat.Pods(), [], 2, T0, rolloutInProgress: false, default);

        withPort.Shed.Should().Equal(new ShedTarget("pod-0", chat.Servers[0].Address, chat.AdminPort, 2));
        withoutPort.Shed.Should().ContainSingle().Which.Port.Should().BeNull();
        withoutPort.Shed[0].PortProblem.Should().Contain("spec.scaling.rebalance.adminPort");
        var refused = await new ShedClient(new HttpClient(), new ScraperOptions()).ShedAsync(withoutPort.Shed[0], default);
        refused.Should().Be(new ShedResult("pod-0", 2, 0, withoutPort.Shed[0].PortProblem));
    }

    [Fact]
    public void Measured_startup_time_is_the_median_of_creation_to_ready()
    {
        var pods = new[] { 10, 20, 300 }.Select((s, i) =>
            ChatPool.MakePod($"p{i}", "10.0.0.1", true, 80, created: T0, readyAt: T0.AddSeconds(s))).ToList();

        PodFacts.MeasuredStartupTime(pods).Should().Be(TimeSpan.FromSeconds(20));
    }

    [Fact]
    public void A_named_metrics_port_resolves_from_the_pods_container_ports()
    {
        var pod = ChatPool.MakePod("p", "10.0.0.1", true, 8080);

        PodFacts.ResolvePort("ws", pod).Should().Be(8080);
        PodFacts.ResolvePort(9100, pod).Should().Be(9100);
        PodFacts.ResolvePort("nope", pod).Should().BeNull();
    }

    [Fact]
    public async Task Failing_readings_hold_the_size_set_the_condition_false_and_warn_once()
    {
        var pool = new WebSocketPool
        {
            Metadata = new V1ObjectMeta { Name = "chat", NamespaceProperty = "default", Uid = "u1" },
            Spec = new WebSocketPoolSpec(),
        };
        pool.Spec.Scaling.Enabled = true; // default source for a managed HAProxy: the balancer, which has no pods yet
        var options = new ScraperOptions();
        var scaler = new PoolScaler(new PodMetricsScraper(new HttpClient(), options), new BalancerSessionsScraper(new HttpClient(), options), options);
        var pods = new List<V1Pod> { ChatPool.MakePod("p0", "10.0.0.1", true, 8080), ChatPool.MakePod("p1", "10.0.0.2", true, 8080) };

        var first = await scaler.EvaluateAsync(pool, pods, [], 2, T0, rolloutInProgress: false, default);
        pool.Status = new WebSocketPoolStatus
        {
            Conditions = [new V1Condition { Type = "Scaling", Status = "False", Reason = first.Condition.Reason, Message = first.Condition.Message }],
        };
        var second = await scaler.EvaluateAsync(pool, pods, [], 2, T0.AddSeconds(2), rolloutInProgress: false, default);

        first.DesiredReplicas.Should().Be(2);
        first.Condition.Should().Be(new ScalingConditionValue(false, "MetricsUnavailable",
            "holding at 2: connection sample failed (no ready balancer pod to read sessions from); a missing sample never scales down"));
        first.Events.Should().ContainSingle(e => e.Type == "Warning" && e.Reason == "MetricsUnavailable");
        second.Events.Should().BeEmpty();
    }
}
