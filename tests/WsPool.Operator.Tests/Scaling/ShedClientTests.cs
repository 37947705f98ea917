using WsPool.Operator.Scaling;

namespace WsPool.Operator.Tests.Scaling;

public sealed class ShedClientTests
{
    [Fact]
    public async Task Sheds_exactly_the_requested_connections_through_the_admin_port_with_close_1012()
    {
        await using var pool = await ChatPool.StartAsync(1);
        var clients = await pool.ConnectAsync(0, 5);
        var shed = new ShedClient(new HttpClient(), new ScraperOptions { RequestTimeout = TimeSpan.FromSeconds(2) });

        var result = await shed.ShedAsync("pod-0", pool.Servers[0].Address, pool.AdminPort, 2, default);

        result.Should().Be(new ShedResult("pod-0", 2, 2, null, Remaining: 3));
        await pool.WaitForConnectionsAsync(0, c => c == 3);
        // The pod counts a connection gone on its side; each client learns of its close on its own receive loop.
        var closed = await pool.ClosedAsync(clients, 2);
        closed.Should().HaveCount(2);
        foreach (var c in closed) (await c.Closed).Code.Should().Be(1012);
    }

    [Fact]
    public async Task A_pod_whose_admin_port_is_closed_yields_an_error_not_an_exception()
    {
        await using var pool = await ChatPool.StartAsync(1);
        var closedPort = WsPool.Testing.FreePort.Next(System.Net.IPAddress.Parse(pool.Servers[0].Address));
        var shed = new ShedClient(new HttpClient(), new ScraperOptions());

        var result = await shed.ShedAsync("pod-0", pool.Servers[0].Address, closedPort, 2, default);

        result.Closed.Should().Be(0);
        result.Error.Should().Contain("/shed?count=2");
    }
}
