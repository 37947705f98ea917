using System.Net;
using System.Text.Json;
using WsPool.Testing;

namespace WsPool.ChatServer.Tests;

/// <summary>The chat protocol and the endpoints of one replica, against the real server process.</summary>
public sealed class ChatServerBasicsTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task A_plain_text_message_reaches_every_client_of_the_replica_unchanged()
    {
        await using var server = await ChatServerProcess.StartAsync();
        await using var alice = await WebSocketTestClient.ConnectAsync(server.WebSocketUri);
        await using var bob = await WebSocketTestClient.ConnectAsync(server.WebSocketUri);
        await using var carol = await WebSocketTestClient.ConnectAsync(server.WebSocketUri);
        await server.WaitForMetricAsync("websocket_connections", v => v == 3, Wait);

        await alice.SendAsync("hello, pool ✓");

        (await alice.NextMessageAsync(Wait)).Should().Be("hello, pool ✓");
        (await bob.NextMessageAsync(Wait)).Should().Be("hello, pool ✓");
        (await carol.NextMessageAsync(Wait)).Should().Be("hello, pool ✓");
    }

    [Fact]
    public async Task Whoami_answers_with_the_replica_name_and_the_address_the_client_reached()
    {
        await using var server = await ChatServerProcess.StartAsync(new ChatServerOptions { Address = "127.0.0.2", ReplicaName = "chat-7" });
        await using var client = await WebSocketTestClient.ConnectAsync(server.WebSocketUri);

        var reply = await client.WhoAmIAsync(Wait);

        reply.GetProperty("replica").GetString().Should().Be("chat-7");
        reply.GetProperty("address").GetString().Should().Be($"127.0.0.2:{server.Port}");
    }

    [Fact]
    public async Task An_echo_message_goes_back_to_its_sender_only()
    {
        await using var server = await ChatServerProcess.StartAsync();
        await using var sender = await WebSocketTestClient.ConnectAsync(server.WebSocketUri);
        await using var other = await WebSocketTestClient.ConnectAsync(server.WebSocketUri);
        await server.WaitForMetricAsync("websocket_connections", v => v == 2, Wait);

        await sender.SendAsync("/echo ping 1");
        (await sender.NextMessageAsync(Wait)).Should().Be("/echo ping 1");

        // The other client's next message is a later broadcast, not the echo.
        await sender.SendAsync("marker");
        (await other.NextMessageAsync(Wait)).Should().Be("marker");
    }

    [Fact]
    public async Task The_connections_gauge_rises_with_connects_and_falls_with_disconnects()
    {
        await using var server = await ChatServerProcess.StartAsync();
        var clients = new List<WebSocketTestClient>();
        for (var i = 0; i < 4; i++) clients.Add(await WebSocketTestClient.ConnectAsync(server.WebSocketUri));

        (await server.WaitForMetricAsync("websocket_connections", v => v == 4, Wait)).Should().Be(4);

        await clients[0].CloseAsync();
        await clients[1].DisposeAsync(); // an abort, no close frame
        (await server.WaitForMetricAsync("websocket_connections", v => v == 2, Wait)).Should().Be(2);
        (await server.MetricAsync("websocket_connections_total")).Should().Be(4);

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
        (await server.WaitForMetricAsync("websocket_messages_total{direction=\"out\"}", v => v == 2, Wait)).Should().Be(2);
    }

    [Fact]
    public async Task Metrics_are_prometheus_text_with_the_five_contract_series()
    {
        await using var server = await ChatServerProcess.StartAsync(new ChatServerOptions { ConnectionLimit = 25 });

        var text = await server.MetricsTextAsync();

        text.Should().Contain("# TYPE websocket_connections gauge")
            .And.Contain("# TYPE websocket_connections_total counter")
            .And.Contain("# TYPE websocket_messages_total counter")
            .And.Contain("# TYPE websocket_connection_limit gauge")
            .And.Contain("# TYPE websocket_draining gauge");
        var metrics = PrometheusText.Parse(text);
        metrics["websocket_connection_limit"].Should().Be(25);
        metrics["websocket_draining"].Should().Be(0);
        metrics.Should().ContainKeys("websocket_messages_total{direction=\"in\"}", "websocket_messages_total{direction=\"out\"}");
    }

    [Fact]
    public async Task Upgrades_beyond_the_connection_limit_get_503_with_retry_after()
    {
        await using var server = await ChatServerProcess.StartAsync(new ChatServerOptions { ConnectionLimit = 2 });
        await using var first = await WebSocketTestClient.ConnectAsync(server.WebSocketUri);
        await using var second = await WebSocketTestClient.ConnectAsync(server.WebSocketUri);

        var (status, retryAfter) = await WebSocketTestClient.ConnectExpectingRefusalAsync(server.WebSocketUri);

        status.Should().Be(503);
        retryAfter.Should().NotBeNullOrEmpty();
        (await server.MetricAsync("websocket_connections")).Should().Be(2);
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
        (await server.ReadinessAsync()).Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_plain_http_request_to_the_websocket_path_gets_400()
    {
        await using var server = await ChatServerProcess.StartAsync();
        using var http = new HttpClient();

        using var response = await http.GetAsync(server.WebSocketUri.ToString().Replace("ws://", "http://"));

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Whoami_replies_are_json_with_a_type_field()
    {
        await using var server = await ChatServerProcess.StartAsync();
        await using var client = await WebSocketTestClient.ConnectAsync(server.WebSocketUri);

        var reply = await client.WhoAmIAsync(Wait);

        reply.GetProperty("type").GetString().Should().Be("whoami");
        reply.GetProperty("connection").ValueKind.Should().Be(JsonValueKind.Number);
    }
}
