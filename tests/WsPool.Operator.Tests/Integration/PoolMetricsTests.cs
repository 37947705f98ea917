using System.Globalization;
using k8s;
using WsPool.Core.Api;
using WsPool.Testing;

namespace WsPool.Operator.Tests.Integration;

/// <summary>The per-pool gauges on the operator's /metrics: set from status as pools reconcile, gone with the pool.</summary>
[Collection(ChatServerPodsCollection.Name)]
public sealed class PoolMetricsTests
{
    /// <summary>The operator's /metrics, read over HTTP as Prometheus would.</summary>
    private static async Task<Dictionary<string, double>> ScrapeAsync(RunningOperator op)
    {
        using var http = new HttpClient();
        var text = "";
        foreach (var url in op.Urls)
        {
            using var response = await http.GetAsync(new Uri(new Uri(url), "/metrics"));
            if (response.IsSuccessStatusCode) { text = await response.Content.ReadAsStringAsync(); break; }
        }
        text.Should().NotBeEmpty("one of the operator's listeners serves /metrics");
        return text.Split('\n')
            .Where(l => l.StartsWith("wspool_pool_", StringComparison.Ordinal))
            .Select(l => (Series: l[..l.LastIndexOf(' ')], Value: double.Parse(l[(l.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture)))
            .ToDictionary(s => s.Series, s => s.Value);
    }

    private static string Series(string name, string ns, string pool) => $"{name}{{namespace=\"{ns}\",pool=\"{pool}\"}}";

    private static Task<Dictionary<string, double>> EventuallyAsync(RunningOperator op, Func<Dictionary<string, double>, bool> condition,
        string what) =>
        Eventually.ValueAsync(() => ScrapeAsync(op), condition, what, TimeSpan.FromSeconds(20),
            metrics => "wspool_pool_* series: " + string.Join("; ", metrics.Select(m => $"{m.Key} {m.Value}")));

    [Fact]
    public async Task Desired_and_ready_replicas_follow_status_and_disappear_with_the_pool()
    {
        await using var cluster = await TestCluster.StartAsync();
        var op = await cluster.StartOperatorAsync();
        var pool = await cluster.CreatePoolAsync(TestCluster.LoadExample("examples/ticker.yaml"));
        var (ns, name) = (pool.Metadata.NamespaceProperty, pool.Metadata.Name);
        var status = (await cluster.WaitForReadyAsync(ns, name)).Status!;

        var metrics = await EventuallyAsync(op, m => m.GetValueOrDefault(Series("wspool_pool_ready_replicas", ns, name)) == status.ReadyReplicas,
            "ready replicas on /metrics");
        metrics[Series("wspool_pool_desired_replicas", ns, name)].Should().Be(4, "the ticker example asks for 4 replicas");
        status.ReadyReplicas.Should().Be(4);
        metrics.Should().NotContainKey(Series("wspool_pool_connections", ns, name), "with scaling off nothing reads connections");

        await cluster.Client.CustomObjects.DeleteNamespacedCustomObjectAsync(WebSocketPool.Group, WebSocketPool.Version, ns,
            WebSocketPool.Plural, name);

        await EventuallyAsync(op, m => !m.Keys.Any(k => k.Contains($"pool=\"{name}\"", StringComparison.Ordinal)),
            "every series of the deleted pool removed");
    }

    [Fact]
    public async Task Connections_of_an_autoscaled_pool_are_exported()
    {
        var (cluster, chat) = await AutoscalingTests.StartAsync();
        await using var _ = cluster;
        await using var __ = chat;
        var op = cluster.Operators.Single();

        await chat.ConnectAsync(0, 3);

        await EventuallyAsync(op, m => m.GetValueOrDefault(Series("wspool_pool_connections", AutoscalingTests.Ns, "chat")) == 3,
            "3 connections on /metrics");
        await EventuallyAsync(op, m => m.GetValueOrDefault(Series("wspool_pool_desired_replicas", AutoscalingTests.Ns, "chat")) == 2,
            "3 connections at 2 per pod want 2 pods");
    }
}
