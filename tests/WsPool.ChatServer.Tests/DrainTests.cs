using System.Diagnostics;
using System.Net;
using WsPool.Testing;

namespace WsPool.ChatServer.Tests;

/// <summary>Graceful drain: SIGTERM and POST /drain close every connection with 1001, spread over the window, then exit 0.</summary>
public sealed class DrainTests
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Sigterm_closes_every_connection_with_1001_spread_over_the_window_and_exits_0()
    {
        await using var server = await ChatServerProcess.StartAsync(new ChatServerOptions { DrainTimeout = Window });
        var clients = await ConnectAsync(server, 10);

        var signalled = Stopwatch.GetTimestamp();
        server.Terminate();
        var closes = await Task.WhenAll(clients.Select(c => c.WaitForCloseAsync(Window + Wait)));

        closes.Select(c => c.Code).Should().AllBeEquivalentTo(1001);
        var secondsAfterSignal = closes.Select(c => Stopwatch.GetElapsedTime(signalled, c.Timestamp).TotalSeconds).ToList();
        secondsAfterSignal.Count(s => s < Window.TotalSeconds / 10).Should().BeLessThan(clients.Count / 2,
            "closes are spread over the window, not all at once: {0}", string.Join(", ", secondsAfterSignal.Select(s => s.ToString("F2"))));
        secondsAfterSignal.Should().Contain(s => s >= Window.TotalSeconds / 2, "the later closes come in the second half of the window");
        (await server.WaitForExitAsync(Wait)).Should().BeTrue(server.Output);
        server.ExitCode.Should().Be(0, server.Output);
        await DisposeAllAsync(clients);
    }

    [Fact]
    public async Task While_draining_readiness_is_503_and_new_upgrades_are_refused_with_503()
    {
        await using var server = await ChatServerProcess.StartAsync(new ChatServerOptions { DrainTimeout = Window });
        var clients = await ConnectAsync(server, 3);

        server.Terminate();
        await server.WaitForReadinessAsync(HttpStatusCode.ServiceUnavailable, Wait);

        // The flag that made /readyz 503 is the one the gauge shows; the refusal below is counted before it is sent.
        (await server.MetricAsync("websocket_draining")).Should().Be(1);
        (await server.MetricAsync("websocket_upgrades_rejected_total{reason=\"draining\"}")).Should().Be(0);
        var (status, _) = await WebSocketTestClient.ConnectExpectingRefusalAsync(server.WebSocketUri);
        status.Should().Be(503);
        (await server.MetricAsync("websocket_upgrades_rejected_total{reason=\"draining\"}")).Should().Be(1);
        await DisposeAllAsync(clients);
    }

    [Fact]
    public async Task Post_drain_on_the_admin_port_drains_with_1001_and_exits_0()
    {
        await using var server = await ChatServerProcess.StartAsync(new ChatServerOptions { DrainTimeout = TimeSpan.FromSeconds(1) });
        var clients = await ConnectAsync(server, 2);

        (await server.DrainAsync()).Should().Be(HttpStatusCode.Accepted);

        var closes = await Task.WhenAll(clients.Select(c => c.WaitForCloseAsync(Wait)));
        closes.Select(c => c.Code).Should().AllBeEquivalentTo(1001);
        (await server.WaitForExitAsync(Wait)).Should().BeTrue(server.Output);
        server.ExitCode.Should().Be(0);
        await DisposeAllAsync(clients);
    }

    [Fact]
    public async Task The_admin_endpoints_are_not_served_on_the_main_port()
    {
        await using var server = await ChatServerProcess.StartAsync();
        await using var client = await WebSocketTestClient.ConnectAsync(server.WebSocketUri);
        using var http = new HttpClient();

        using var drain = await http.PostAsync(new Uri(server.BaseUri, "drain"), null);
        using var shed = await http.PostAsync(new Uri(server.BaseUri, "shed?count=1"), null);

        drain.StatusCode.Should().Be(HttpStatusCode.NotFound);
        shed.StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await server.ReadinessAsync()).Should().Be(HttpStatusCode.OK);
        (await client.WhoAmIAsync(Wait)).GetProperty("replica").GetString().Should().Be(server.ReplicaName);
    }

    [Fact]
    public async Task A_drain_with_no_connections_exits_0_at_once()
    {
        await using var server = await ChatServerProcess.StartAsync(new ChatServerOptions { DrainTimeout = TimeSpan.FromMinutes(10) });

        server.Terminate();

        (await server.WaitForExitAsync(Wait)).Should().BeTrue("nothing is left to drain, so the window is not waited out:\n" + server.Output);
        server.ExitCode.Should().Be(0);
    }

    internal static async Task<List<WebSocketTestClient>> ConnectAsync(ChatServerProcess server, int count)
    {
        var clients = new List<WebSocketTestClient>();
        for (var i = 0; i < count; i++) clients.Add(await WebSocketTestClient.ConnectAsync(server.WebSocketUri));
        await server.WaitForMetricAsync("websocket_connections", v => v == count, Wait);
        return clients;
    }

    internal static async Task DisposeAllAsync(IEnumerable<WebSocketTestClient> clients)
    {
        foreach (var client in clients) await client.DisposeAsync();
    }
}
