using System.Text.RegularExpressions;
using k8s.Models;
using WsPool.Core.Api;
using WsPool.Testing;
using Xunit.Abstractions;

namespace WsPool.Operator.Tests.Integration;

/// <summary>
/// Rebalancing through the operator loop: the API emulator, the real operator host, real chat-server processes as the
/// pods (<see cref="AutoscalingTests"/>' setup). One pod holds every connection; the operator must shed through
/// POST /shed on the admin port the pool names, in batches, exactly the fewest connections that bring max/min per pod
/// within the bound, and say so in Rebalanced events.
/// </summary>
[Collection(ChatServerPodsCollection.Name)]
public sealed class RebalancingTests(ITestOutputHelper output)
{
    private const int Pods = 3;
    private const int Connections = 12;
    private const int BatchSize = 3;

    /// <summary>
    /// Three pods, fixed at three replicas (min = max) so only rebalancing acts; max/min ≤ 1.5, which 12 connections on
    /// 3 pods meet only at 4,4,4 (8 moves from 12,0,0); a 3s window (also how long a shed waits at most for its clients
    /// to come back) and a 1s poll.
    /// </summary>
    private static void Rebalancing(WebSocketPoolSpec spec, bool enabled)
    {
        spec.MinReplicas = Pods;
        spec.MaxReplicas = Pods;
        spec.Connections = new ConnectionsSpec { Target = 1, Limit = 100 };
        var rebalance = spec.Scaling.Rebalance;
        rebalance.Enabled = enabled;
        rebalance.MaxToMinPercent = 150;
        rebalance.Window = "3s";
        rebalance.MaxShedPercentPerMinute = 100;
        rebalance.BatchSize = BatchSize;
    }

    /// <summary>One shed the operator reported: "N move(s) bring it to H/L; shedding S: pod A→B" in a Rebalanced event's note.</summary>
    private sealed record ReportedShed(string Pod, long Before, long After, long MovesLeft);

    private static readonly Regex PlanPattern = new(@"(\d+) move\(s\) bring it to \d+/\d+; shedding \d+: (.*?); closed (\d+) of (\d+)", RegexOptions.CultureInvariant);
    private static readonly Regex PodPattern = new(@"(\S+) (\d+)→(\d+)", RegexOptions.CultureInvariant);

    private static List<ReportedShed> Parse(Eventsv1Event e)
    {
        var m = PlanPattern.Match(e.Note ?? "");
        m.Success.Should().BeTrue($"a Rebalanced note carries the moves left and what was closed: '{e.Note}'");
        var moves = long.Parse(m.Groups[1].Value);
        m.Groups[3].Value.Should().Be(m.Groups[4].Value, $"the pod closed every connection asked for: '{e.Note}'");
        return PodPattern.Matches(m.Groups[2].Value)
            .Select(p => new ReportedShed(p.Groups[1].Value, long.Parse(p.Groups[2].Value), long.Parse(p.Groups[3].Value), moves))
            .ToList();
    }

    [Fact]
    public async Task A_hot_pod_sheds_exactly_the_fewest_connections_that_even_the_pool_in_batches_through_the_admin_port()
    {
        var (cluster, chat) = await AutoscalingTests.StartAsync(Pods, spec => Rebalancing(spec, enabled: true));
        await using var _ = cluster;
        await using var __ = chat;
        var hot = await chat.ConnectAsync(0, Connections);
        // Where each open client is, as the test's own leastconn balancer sees it.
        var open = hot.Select(c => (Server: 0, Client: c)).ToList();
        var shed = new List<WebSocketClose>();
        var mine = new List<WebSocketTestClient>();
        try
        {
            // Clients closed with 1012 reconnect onto the least loaded pod, as behind a leastconn balancer, until every
            // pod holds the mean.
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(45);
            while (open.GroupBy(c => c.Server).Select(g => g.Count()).Order().SequenceEqual([4, 4, 4]) is false)
            {
                if (DateTime.UtcNow > deadline)
                    throw new TimeoutException($"the pool did not even out; per pod {string.Join(",", Enumerable.Range(0, Pods).Select(i => open.Count(c => c.Server == i)))}; "
                        + $"Scaling: {TestCluster.Condition(cluster.GetPool(AutoscalingTests.Ns, "chat"), "Scaling")?.Message}");
                var reconnects = new List<(int Server, Task<WebSocketTestClient> Client)>();
                foreach (var closed in open.Where(c => c.Client.Closed.IsCompleted).ToList())
                {
                    open.Remove(closed);
                    shed.Add(await closed.Client.Closed);
                    var target = Enumerable.Range(0, Pods).MinBy(i => open.Count(c => c.Server == i) + reconnects.Count(r => r.Server == i));
                    reconnects.Add((target, WebSocketTestClient.ConnectAsync(chat.Servers[target].WebSocketUri)));
                }
                foreach (var (server, client) in reconnects)
                {
                    var connected = await client;
                    mine.Add(connected);
                    open.Add((server, connected));
                }
                await Task.Delay(reconnects.Count > 0 ? 0 : 20); // paces this bounded reconnect loop, asserts nothing
            }

            // Balanced: a few more polls shed nothing more.
            var polls = AutoscalingTests.PodLists(cluster);
            await Eventually.ValueAsync(() => AutoscalingTests.PodLists(cluster), n => n >= polls + 3, "three more polls (pod lists)",
                TimeSpan.FromSeconds(15));
            open.Should().OnlyContain(c => !c.Client.Closed.IsCompleted, "a balanced pool sheds nothing");

            // 12,0,0 → 4,4,4 is 8 moves; the operator waits for each batch's clients to come back before the next,
            // so it never sheds a connection more.
            shed.Should().HaveCount(Connections - 4);
            shed.Should().OnlyContain(c => c.Code == 1012, "shed clients are told to reconnect (1012 Service Restart)");
            // The test saw its reconnects open; the pod's own gauge counts them once it has accepted them.
            await chat.WaitForConnectionsAsync(0, c => c == 4);

            var events = cluster.EventsFor(cluster.GetPool(AutoscalingTests.Ns, "chat")!).Where(e => e.Reason == "Rebalanced").ToList();
            foreach (var e in events) output.WriteLine($"{e.Reason}: {e.Note}");
            var reported = events.SelectMany(Parse).ToList();
            reported.Should().NotBeEmpty().And.OnlyContain(r => r.Pod == "chat-pod-0", "only the hot pod sheds");
            reported.Should().OnlyContain(r => r.Before - r.After <= BatchSize, "no request sheds more than the batch size");
            reported[0].MovesLeft.Should().Be(8, "12,0,0 needs 8 moves to 4,4,4");
            reported.Should().OnlyContain(r => r.After >= 4, "the hot pod never goes below the even share");
            reported.Sum(r => r.Before - r.After).Should().Be(shed.Count, "the events account for every shed connection");
            events.Should().HaveCountGreaterThan(1, "8 connections at a batch size of 3 take several polls");
        }
        finally
        {
            foreach (var client in mine) await client.DisposeAsync();
        }
    }

    [Fact]
    public async Task With_rebalancing_off_the_default_a_hot_pod_keeps_every_connection()
    {
        var (cluster, chat) = await AutoscalingTests.StartAsync(Pods, spec => Rebalancing(spec, enabled: false));
        await using var _ = cluster;
        await using var __ = chat;
        new RebalanceSpec().Enabled.Should().BeFalse("rebalancing is off unless asked for");
        var hot = await chat.ConnectAsync(0, Connections);
        await cluster.WaitForPoolAsync(AutoscalingTests.Ns, "chat", p => p?.Status?.Connections?.Total == Connections,
            "the operator has seen every connection", TimeSpan.FromSeconds(15));

        // With rebalancing on, the same pool sheds once it has been uneven for the 3s window; give it eight polls.
        var polls = AutoscalingTests.PodLists(cluster);
        await Eventually.ValueAsync(() => AutoscalingTests.PodLists(cluster), n => n >= polls + 8, "eight more polls (pod lists)",
            TimeSpan.FromSeconds(30));

        hot.Should().OnlyContain(c => !c.Closed.IsCompleted);
        (await chat.Servers[0].MetricAsync("websocket_connections")).Should().Be(Connections);
        cluster.EventsFor(cluster.GetPool(AutoscalingTests.Ns, "chat")!).Should().NotContain(e => e.Reason == "Rebalanced" || e.Reason == "RebalanceFailed");
    }
}
