using k8s.Models;
using WsPool.Core.Api;
using WsPool.Core.Rendering;
using WsPool.Operator.Scaling;
using WsPool.Operator.Tests.Scaling;
using WsPool.Testing;

namespace WsPool.Operator.Tests.Integration;

/// <summary>
/// The operator's autoscaling end to end: the API emulator, the real operator host, and real chat-server processes
/// playing the backend pods (pod objects made by the test as a ReplicaSet would, with loopback pod IPs).
/// </summary>
[Collection(ChatServerPodsCollection.Name)]
public sealed class AutoscalingTests
{
    internal const string Ns = "chat";

    /// <summary>The chat example with scaling on, read from the pods, and small connection targets.</summary>
    internal static WebSocketPool ScalingPool()
    {
        var pool = TestCluster.LoadExample("examples/chat.yaml");
        var spec = pool.Spec;
        spec.Replicas = null;
        spec.MinReplicas = 1;
        spec.MaxReplicas = 10;
        spec.Connections = new ConnectionsSpec { Target = 2, Limit = 4 };
        spec.Scaling.Enabled = true;
        spec.Scaling.PollInterval = "1s";
        spec.Scaling.Metrics.Source = MetricsSource.Pods;
        spec.Scaling.Prewarm = new PrewarmSpec { Pods = 0, Percent = 0, RateAware = false };
        spec.Scaling.TolerancePercent = 0;
        // A scale-down would happen at the next poll, so a failed scrape read as zero connections would show at once.
        spec.Scaling.ScaleDown = new ScaleDownRulesSpec { StabilizationWindow = "0s", MaxPods = 10, MaxPercent = 100, Period = "1s" };
        return pool;
    }

    /// <summary>The backend pod of server <paramref name="i"/>, labelled like the pool's backend pods, at <paramref name="ip"/>.</summary>
    private static V1Pod BackendPod(ChatPool chat, int i, string ip)
    {
        var pod = ChatPool.MakePod($"chat-pod-{i}", ip, ready: true, chat.Port);
        pod.ApiVersion = "v1";
        pod.Kind = "Pod";
        pod.Metadata.NamespaceProperty = Ns;
        pod.Metadata.Labels = PoolLabels.For("chat", PoolLabels.BackendComponent);
        return pod;
    }

    /// <summary>Creates or replaces the pod, then writes its status as the kubelet would (a create drops status).</summary>
    private static void PutPod(TestCluster cluster, V1Pod pod)
    {
        cluster.Api.Store.Upsert(pod);
        var json = (System.Text.Json.Nodes.JsonObject)System.Text.Json.Nodes.JsonNode.Parse(k8s.KubernetesJson.Serialize(pod))!;
        cluster.Api.Store.UpsertJson(json, "status");
    }

    /// <param name="servers">Chat servers (pods) to run.</param>
    /// <param name="change">Changes to <see cref="ScalingPool"/>'s spec.</param>
    internal static async Task<(TestCluster Cluster, ChatPool Chat)> StartAsync(int servers = 2, Action<WebSocketPoolSpec>? change = null)
    {
        var chat = await ChatPool.StartAsync(servers);
        TestCluster? cluster = null;
        try
        {
            cluster = await TestCluster.StartAsync();
            for (var i = 0; i < chat.Servers.Count; i++) PutPod(cluster, BackendPod(chat, i, chat.Servers[i].Address));
            await cluster.StartOperatorAsync(TestCluster.TestOptions() with
            {
                Scaling = new ScraperOptions { RequestTimeout = TimeSpan.FromSeconds(2) },
            });
            var pool = ScalingPool();
            // The servers' admin port is random here, as a backend image may choose its own: the pool says which.
            pool.Spec.Scaling.Rebalance.AdminPort = chat.AdminPort;
            change?.Invoke(pool.Spec);
            await cluster.CreatePoolAsync(pool);
            await cluster.WaitForPoolAsync(Ns, "chat", p => TestCluster.Condition(p, "Scaling") is not null, "the first scaling poll");
            return (cluster, chat);
        }
        catch
        {
            if (cluster is not null) await cluster.DisposeAsync();
            await chat.DisposeAsync();
            throw;
        }
    }

    /// <summary>How many times the operator has listed pods: once per scaling poll.</summary>
    internal static int PodLists(TestCluster cluster) => cluster.OperatorRequests().Count(r => r.Resource == "pods" && r.Verb == "list");

    internal static int? BackendReplicas(TestCluster cluster) =>
        cluster.Api.Store.Get<V1Deployment>(Ns, PoolNames.Of(cluster.GetPool(Ns, "chat")!).Backend)?.Spec?.Replicas;

    /// <summary>Waits for the backend's replicas; on a timeout, says what the Scaling condition last reported.</summary>
    private static Task ScaledToAsync(TestCluster cluster, int replicas) =>
        Eventually.ValueAsync(() => (Replicas: BackendReplicas(cluster), Scaling: TestCluster.Condition(cluster.GetPool(Ns, "chat"), "Scaling")),
            seen => seen.Replicas == replicas, $"the backend Deployment scaled to {replicas}", TimeSpan.FromSeconds(15),
            seen => $"replicas {seen.Replicas}; Scaling: {seen.Scaling?.Reason} {seen.Scaling?.Message}");

    [Fact]
    public async Task Rising_connections_raise_the_backend_replicas_and_are_reported_in_status_and_events()
    {
        var (cluster, chat) = await StartAsync();
        await using var _ = cluster;
        await using var __ = chat;
        BackendReplicas(cluster).Should().Be(1, "no connections need only minReplicas");

        await chat.ConnectAsync(0, 4);
        await chat.ConnectAsync(1, 3);

        // 7 connections at 2 per pod need 4 pods: within a poll (1s) plus a reconcile.
        await ScaledToAsync(cluster, 4);
        var pool = (await cluster.WaitForPoolAsync(Ns, "chat", p => p?.Status?.Connections?.Total == 7, "7 connections in status",
            TimeSpan.FromSeconds(15)))!;
        pool.Status!.DesiredReplicas.Should().Be(4);
        pool.Status.LastScaleTime.Should().NotBeNull();
        pool.Status.Connections!.Pods!.Select(p => (p.Name, p.Connections)).Should().Equal(("chat-pod-0", 4L), ("chat-pod-1", 3L));
        TestCluster.Condition(pool, "Scaling").Should().NotBeNull();
        // Events are recorded after the apply and the status write of the same reconcile.
        await cluster.WaitForEventsAsync(pool, events => events.Any(e => e.Reason == "ScaledUp"), "a ScaledUp event", TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task A_failed_scrape_never_scales_the_pool_down()
    {
        var (cluster, chat) = await StartAsync();
        await using var _ = cluster;
        await using var __ = chat;
        await chat.ConnectAsync(0, 4);
        await chat.ConnectAsync(1, 3);
        await ScaledToAsync(cluster, 4);

        // The pods move to addresses where nothing answers: every scrape fails.
        for (var i = 0; i < chat.Servers.Count; i++) PutPod(cluster, BackendPod(chat, i, $"127.0.0.{240 + i}"));
        await cluster.WaitForPoolAsync(Ns, "chat", p => TestCluster.Condition(p, "Scaling")?.Reason is "PartialMetrics" or "MetricsUnavailable",
            "the Scaling condition reports the failed scrape", TimeSpan.FromSeconds(15));
        var polls = PodLists(cluster);
        await Eventually.ValueAsync(() => PodLists(cluster), n => n >= polls + 3, "three more polls (pod lists)", TimeSpan.FromSeconds(15));

        BackendReplicas(cluster).Should().Be(4, "unknown connections are not zero connections");
        cluster.EventsFor(cluster.GetPool(Ns, "chat")!).Should().NotContain(e => e.Reason == "ScaledDown");
    }

    [Fact]
    public async Task Falling_connections_mark_pod_deletion_costs_then_lower_the_replicas()
    {
        var (cluster, chat) = await StartAsync();
        await using var _ = cluster;
        await using var __ = chat;
        var busy = await chat.ConnectAsync(0, 4);
        await chat.ConnectAsync(1, 3);
        await ScaledToAsync(cluster, 4);

        await chat.CloseAsync(busy);
        await chat.WaitForConnectionsAsync(0, c => c == 0);

        // 3 connections at 2 per pod need 2 pods.
        await ScaledToAsync(cluster, 2);
        var costs = cluster.Api.Store.List<V1Pod>(Ns).ToDictionary(p => p.Metadata.Name,
            p => p.Metadata.Annotations is { } a && a.TryGetValue(PoolScalingResult.DeletionCostAnnotation, out var c) ? c : null);
        costs.Values.Should().OnlyContain(c => c != null, "every pod is marked before the replicas are lowered");
        int.Parse(costs["chat-pod-0"]!).Should().BeLessThan(int.Parse(costs["chat-pod-1"]!), "the emptier pod goes first");
        // The event follows the apply that lowered the replicas (and the status write) in the same reconcile.
        await cluster.WaitForEventsAsync(cluster.GetPool(Ns, "chat")!, events => events.Any(e => e.Reason == "ScaledDown"), "a ScaledDown event",
            TimeSpan.FromSeconds(10));
    }
}
