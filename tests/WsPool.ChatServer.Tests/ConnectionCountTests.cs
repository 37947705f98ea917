using System.Net;
using WsPool.Testing;

namespace WsPool.ChatServer.Tests;

/// <summary>Connection and message counts, and the connection limit: each test has its own server, counts are exact.</summary>
public sealed class ConnectionCountTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task The_connections_gauge_rises_with_connects_and_falls_with_disconnects()
    {
        await using var server = await ChatServerProcess.StartAsync();
        var clients = new List<WebSocketTestClient>();
        for (var i = 0; i < 4; i++) clients.Add(await WebSocketTestClient.ConnectAsync(server.WebSocketUri));

        await server.WaitForMetricAsync("websocket_connections", v => v == 4, Wait);

        await clients[0].CloseAsync();
        await clients[1].DisposeAsync(); // an abort, no close frame
        await server.WaitForMetricAsync("websocket_connections", v => v == 2, Wait);
        // The total is counted just after the gauge's connection is added: it too is read until it shows.
        await server.WaitForMetricAsync("websocket_connections_total", v => v == 4, Wait);

        foreach (var client in clients.Skip(2)) await client.DisposeAsync();
    }

    [Fact]
    public async Task Messages_are_counted_in_from_clients_and_out_to_each_recipient()
    {
        await using var server = await ChatServerProcess.StartAsync();
        await using var a = await WebSocketTestClient.ConnectAsync(server.WebSocketUri);
        await using var b = await WebSocketTestClient.ConnectAsync(server.WebSocketUri);
        await server.WaitForMetricAsync("websocket_connections", v => v == 2, Wait);

        await a.SendAsync("one");
        await b.NextMessageAsync(Wait);
        await a.NextMessageAsync(Wait);

        (await server.MetricAsync("websocket_messages_total{direction=\"in\"}")).Should().Be(1);
        await server.WaitForMetricAsync("websocket_messages_total{direction=\"out\"}", v => v == 2, Wait);
    }

    [Fact]
    public async Task Upgrades_beyond_the_connection_limit_get_503_with_retry_after()
    {
        await using var server = await ChatServerProcess.StartAsync(new ChatServerOptions { ConnectionLimit = 2 });
        (await server.MetricAsync("websocket_connection_limit")).Should().Be(2);
        await using var first = await WebSocketTestClient.ConnectAsync(server.WebSocketUri);
        await using var second = await WebSocketTestClient.ConnectAsync(server.WebSocketUri);

        var (status, retryAfter) = await WebSocketTestClient.ConnectExpectingRefusalAsync(server.WebSocketUri);

        status.Should().Be(503);
        retryAfter.Should().NotBeNullOrEmpty();
        // The limit counts a slot when the upgrade starts, the gauge once the server has accepted it: a client can
        // be open (and a third refused) before the gauge shows it.
        await server.WaitForMetricAsync("websocket_connections", v => v == 2, Wait);
        (await first.WhoAmIAsync(Wait)).GetProperty("replica").GetString().Should().Be(server.ReplicaName, "the open ones keep working");
    }

    [Fact]
    public async Task Readiness_is_false_at_the_connection_limit_and_true_again_below_it()
    {
        await using var server = await ChatServerProcess.StartAsync(new ChatServerOptions { ConnectionLimit = 1 });
        (await server.ReadinessAsync()).Should().Be(HttpStatusCode.OK);

        var client = await WebSocketTestClient.ConnectAsync(server.WebSocketUri);
        await server.WaitForMetricAsync("websocket_connections", v => v == 1, Wait);
        (await server.ReadinessAsync()).Should().Be(HttpStatusCode.ServiceUnavailable);

        await client.CloseAsync();
        await client.DisposeAsync();
        await server.WaitForMetricAsync("websocket_connections", v => v == 0, Wait);
        // The gauge drops before the connection's slot is given back: readiness follows a moment later.
        await server.WaitForReadinessAsync(HttpStatusCode.OK, Wait);
    }
}
