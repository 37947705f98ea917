using System.Net;
using WsPool.Operator.Scaling;
using WsPool.Testing;

namespace WsPool.Operator.Tests.Scaling;

public sealed class PodMetricsScraperTests
{
    private static readonly DateTime At = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private static PodMetricsScraper Scraper(TimeSpan timeout, int maxInFlight = 32) =>
        new(new HttpClient(), new ScraperOptions { RequestTimeout = timeout, MaxInFlight = maxInFlight });

    [Fact]
    public async Task Reads_each_ready_pods_live_connections_from_real_chat_servers()
    {
        await using var pool = await ChatPool.StartAsync(2);
        await pool.ConnectAsync(0, 3);
        await pool.ConnectAsync(1, 1);
        var targets = pool.Servers.Select((s, i) => new ScrapeTarget($"pod-{i}", s.Address, s.Port)).ToList();

        var outcome = await Scraper(TimeSpan.FromSeconds(5)).ScrapeAsync(targets, "/metrics", "websocket_connections", At, default);

        outcome.Sample.Pods.Should().BeEquivalentTo(new Dictionary<string, long> { ["pod-0"] = 3, ["pod-1"] = 1 });
        outcome.Sample.IsComplete.Should().BeTrue();
    }

    [Fact]
    public async Task A_dead_pod_and_a_hung_pod_are_missing_and_the_live_one_still_counts()
    {
        await using var pool = await ChatPool.StartAsync(1);
        await pool.ConnectAsync(0, 2);
        using var hung = new SlowListener(IPAddress.Parse("127.0.0.3"));
        var deadPort = FreePort.Next(IPAddress.Parse("127.0.0.4"));
        var targets = new List<ScrapeTarget>
        {
            new("live", pool.Servers[0].Address, pool.Port),
            new("hung", "127.0.0.3", hung.Port),
            new("dead", "127.0.0.4", deadPort),
        };

        var scrape = Scraper(TimeSpan.FromMilliseconds(500)).ScrapeAsync(targets, "/metrics", "websocket_connections", At, default);
        // Bounded: a stalled poll fails here instead of hanging the suite.
        var outcome = await scrape.WaitAsync(TimeSpan.FromSeconds(20));

        outcome.Sample.Pods.Should().BeEquivalentTo(new Dictionary<string, long> { ["live"] = 2 });
        outcome.Sample.MissingPods.Should().Equal("dead", "hung");
        outcome.Failures["hung"].Should().Contain("timed out");
        outcome.Failures["dead"].Should().Contain("failed");
    }

    [Fact]
    public async Task A_pod_without_the_metric_is_missing_with_the_reason()
    {
        await using var pool = await ChatPool.StartAsync(1);
        var targets = new List<ScrapeTarget> { new("pod-0", pool.Servers[0].Address, pool.Port) };

        var outcome = await Scraper(TimeSpan.FromSeconds(5)).ScrapeAsync(targets, "/metrics", "no_such_gauge", At, default);

        outcome.Sample.MissingPods.Should().Equal("pod-0");
        outcome.Failures["pod-0"].Should().Contain("no usable no_such_gauge");
    }

    [Fact]
    public async Task No_more_than_max_in_flight_requests_are_open_at_once()
    {
        using var hung = new SlowListener(IPAddress.Loopback);
        var targets = Enumerable.Range(0, 6).Select(i => new ScrapeTarget($"pod-{i}", "127.0.0.1", hung.Port)).ToList();

        var scrape = Scraper(TimeSpan.FromSeconds(4), maxInFlight: 2).ScrapeAsync(targets, "/metrics", "websocket_connections", At, default);
        await Eventually.ValueAsync(() => hung.Accepted, n => n >= 2, "two requests accepted by the hung pod", TimeSpan.FromSeconds(10));
        // Proves a third request is NOT made: room for it, were the bound not kept (a fixed window observes an absence).
        await Task.Delay(1000);

        hung.Accepted.Should().Be(2, "two requests hold both slots until they time out");
        var outcome = await scrape.WaitAsync(TimeSpan.FromSeconds(30));
        outcome.Sample.MissingPods.Should().HaveCount(6);
    }
}
