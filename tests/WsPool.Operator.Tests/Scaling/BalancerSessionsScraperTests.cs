using System.Net;
using WsPool.Operator.Scaling;
using WsPool.Testing;

namespace WsPool.Operator.Tests.Scaling;

public sealed class BalancerSessionsScraperTests
{
    private static readonly DateTime At = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private static BalancerSessionsScraper Scraper(int statsPort) => new(new HttpClient(), new ScraperOptions
    {
        RequestTimeout = TimeSpan.FromSeconds(2), BalancerStatsPort = statsPort, BalancerBackend = "pool",
    });

    [Fact]
    public async Task Sums_each_pods_sessions_over_every_balancer_pod_and_maps_slots_to_pods_by_address()
    {
        await using var pool = await ChatPool.StartAsync(2);
        var balancers = await HAProxyBalancer.StartPairAsync(pool.Servers.Select(s => $"{s.Address}:{pool.Port}"));
        var clients = new List<WebSocketTestClient>();
        try
        {
            // 3 clients through the first balancer, 2 through the second; leastconn spreads them over both pods.
            for (var i = 0; i < 5; i++)
                clients.Add(await WebSocketTestClient.ConnectAsync(balancers[i < 3 ? 0 : 1].WebSocketUri));
            await Eventually.ValueAsync(() => TotalOnServers(pool), total => total == 5, "5 connections counted by the pods", TimeSpan.FromSeconds(15));
            var expected = new Dictionary<string, long>
            {
                ["pod-0"] = (long)await pool.Servers[0].MetricAsync("websocket_connections"),
                ["pod-1"] = (long)await pool.Servers[1].MetricAsync("websocket_connections"),
            };

            var outcome = await Scraper(balancers[0].StatsPort).ScrapeAsync(
                balancers.Select((b, i) => new ScrapeTarget($"balancer-{i}", b.Address, b.StatsPort)).ToList(),
                pool.Servers.Select((s, i) => new ScrapeTarget($"pod-{i}", s.Address, 0)).ToList(),
                At, default);

            outcome.Sample.IsComplete.Should().BeTrue();
            outcome.Sample.Pods.Should().BeEquivalentTo(expected, "HAProxy's sessions per slot equal what each pod counts itself");
            outcome.Sample.Total.Should().Be(5);
        }
        finally
        {
            foreach (var c in clients) await c.DisposeAsync();
            foreach (var b in balancers) await b.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_balancer_that_does_not_answer_makes_the_sample_partial_and_none_answering_fails_it()
    {
        await using var pool = await ChatPool.StartAsync(1);
        var balancers = await HAProxyBalancer.StartPairAsync([$"{pool.Servers[0].Address}:{pool.Port}"]);
        try
        {
            var pods = new List<ScrapeTarget> { new("pod-0", pool.Servers[0].Address, 0) };
            var targets = balancers.Select((b, i) => new ScrapeTarget($"balancer-{i}", b.Address, b.StatsPort)).ToList();
            await balancers[1].DisposeAsync();

            var partial = await Scraper(balancers[0].StatsPort).ScrapeAsync(targets, pods, At, default);
            await balancers[0].DisposeAsync();
            var failed = await Scraper(balancers[0].StatsPort).ScrapeAsync(targets, pods, At, default);

            partial.Sample.MissingPods.Should().Equal("balancer-1");
            partial.Sample.Pods.Should().ContainKey("pod-0");
            failed.Sample.Error.Should().Contain("balancer-0: GET").And.Contain("balancer-1: GET");
            failed.Sample.Pods.Should().BeEmpty();
        }
        finally
        {
            foreach (var b in balancers) await b.DisposeAsync();
        }
    }

    [Fact]
    public async Task Without_stats_show_legends_busy_slots_have_no_address_and_the_reading_says_so()
    {
        await using var pool = await ChatPool.StartAsync(1);
        var address = IPAddress.Parse("127.0.0.22");
        var balancer = await HAProxyBalancer.StartAsync("127.0.0.22", FreePort.Next(address), FreePort.Next(address),
            [$"{pool.Servers[0].Address}:{pool.Port}"], showLegends: false);
        try
        {
            await using var client = await WebSocketTestClient.ConnectAsync(balancer.WebSocketUri);
            await pool.WaitForConnectionsAsync(0, c => c == 1);

            var outcome = await Scraper(balancer.StatsPort).ScrapeAsync(
                [new ScrapeTarget("balancer-0", balancer.Address, balancer.StatsPort)],
                [new ScrapeTarget("pod-0", pool.Servers[0].Address, 0)], At, default);

            outcome.Sample.Error.Should().Contain("stats show-legends");
        }
        finally
        {
            await balancer.DisposeAsync();
        }
    }

    [Fact]
    public async Task Sessions_on_a_slot_whose_pod_left_dns_are_draining_and_leave_the_sample_complete()
    {
        // What HAProxy reports while a deleted pod drains: its slot is in maintenance with no address, sessions open.
        const string csv = """
            # pxname,svname,scur,status,addr
            pool,ws1,5,UP,127.0.0.2:8080
            pool,ws2,3,MAINT (resolution),
            pool,BACKEND,8,UP,
            """;
        var scraper = new BalancerSessionsScraper(new HttpClient(new CsvHandler(csv)), new ScraperOptions
        {
            RequestTimeout = TimeSpan.FromSeconds(2), BalancerStatsPort = 8404, BalancerBackend = "pool",
        });

        var outcome = await scraper.ScrapeAsync([new ScrapeTarget("balancer-0", "127.0.0.9", 8404)],
            [new ScrapeTarget("pod-0", "127.0.0.2", 0)], At, default);

        outcome.Sample.IsComplete.Should().BeTrue(outcome.Sample.Error ?? "");
        outcome.Sample.Pods.Should().BeEquivalentTo(new Dictionary<string, long> { ["pod-0"] = 5 });
    }

    [Fact]
    public async Task Only_slots_neither_in_maintenance_nor_down_count_as_still_routed()
    {
        const string csv = """
            # pxname,svname,scur,status,addr
            pool,ws1,5,UP,127.0.0.2:8080
            pool,ws2,3,MAINT (resolution),127.0.0.3:8080
            pool,ws3,0,DOWN,127.0.0.4:8080
            pool,ws4,1,DRAIN,127.0.0.5:8080
            other,ws1,1,UP,127.0.0.6:8080
            pool,BACKEND,9,UP,
            """;
        var scraper = new BalancerSessionsScraper(new HttpClient(new CsvHandler(csv)), new ScraperOptions
        {
            RequestTimeout = TimeSpan.FromSeconds(2), BalancerStatsPort = 8404, BalancerBackend = "pool",
        });

        var routed = await scraper.RoutedAddressesAsync([new ScrapeTarget("balancer-0", "127.0.0.9", 8404)], default);

        routed.Should().BeEquivalentTo([IPAddress.Parse("127.0.0.2"), IPAddress.Parse("127.0.0.5")],
            "a DRAIN slot still takes clients whose cookie names it");
    }

    [Fact]
    public async Task A_balancer_that_does_not_answer_leaves_the_routed_addresses_unknown()
    {
        var routed = await Scraper(8404).RoutedAddressesAsync([new ScrapeTarget("balancer-0", "127.0.0.1", FreePort.Next())], default);

        routed.Should().BeNull();
    }

    private sealed class CsvHandler(string csv) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(csv) });
    }

    private static async Task<double> TotalOnServers(ChatPool pool)
    {
        double total = 0;
        foreach (var s in pool.Servers) total += await s.MetricAsync("websocket_connections");
        return total;
    }
}
