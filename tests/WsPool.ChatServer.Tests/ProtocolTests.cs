using System.Net;
using System.Text.Json;
using WsPool.Testing;

namespace WsPool.ChatServer.Tests;

/// <summary>One replica shared by the tests of this class (they run one after another), started once to save time.</summary>
public sealed class SharedChatServer : IAsyncLifetime
{
    public ChatServerProcess Server { get; private set; } = null!;

    public async Task InitializeAsync() =>
        Server = await ChatServerProcess.StartAsync(new ChatServerOptions { Address = "127.0.0.2", ReplicaName = "chat-7" });

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

/// <summary>The chat protocol and the public endpoints, against the real server process.</summary>
public sealed class ProtocolTests(SharedChatServer shared) : IClassFixture<SharedChatServer>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private readonly ChatServerProcess _server = shared.Server;

    [Fact]
    public async Task A_plain_text_message_reaches_every_client_of_the_replica_unchanged()
    {
        await using var alice = await ConnectAsync();
        await using var bob = await ConnectAsync();
        await using var carol = await ConnectAsync();

        await alice.SendAsync("hello, pool ✓");

        (await alice.NextMessageAsync(Wait)).Should().Be("hello, pool ✓");
        (await bob.NextMessageAsync(Wait)).Should().Be("hello, pool ✓");
        (await carol.NextMessageAsync(Wait)).Should().Be("hello, pool ✓");
    }

    [Fact]
    public async Task Whoami_answers_json_with_the_replica_name_and_the_address_the_client_reached()
    {
        await using var client = await WebSocketTestClient.ConnectAsync(_server.WebSocketUri);

        var reply = await client.WhoAmIAsync(Wait);

        reply.GetProperty("type").GetString().Should().Be("whoami");
        reply.GetProperty("replica").GetString().Should().Be("chat-7");
        reply.GetProperty("address").GetString().Should().Be($"127.0.0.2:{_server.Port}");
        reply.GetProperty("connection").ValueKind.Should().Be(JsonValueKind.Number);
    }

    [Fact]
    public async Task An_echo_message_goes_back_to_its_sender_only()
    {
        await using var sender = await ConnectAsync();
        await using var other = await ConnectAsync();

        await sender.SendAsync("/echo ping 1");
        (await sender.NextMessageAsync(Wait)).Should().Be("/echo ping 1");

        // The other client's next message is a later broadcast, not the echo.
        await sender.SendAsync("marker");
        (await other.NextMessageAsync(Wait)).Should().Be("marker");
    }

    [Fact]
    public async Task Metrics_are_prometheus_text_with_the_five_contract_series()
    {
        var text = await _server.MetricsTextAsync();

        text.Should().Contain("# TYPE websocket_connections gauge")
            .And.Contain("# TYPE websocket_connections_total counter")
            .And.Contain("# TYPE websocket_messages_total counter")
            .And.Contain("# TYPE websocket_connection_limit gauge")
            .And.Contain("# TYPE websocket_draining gauge");
        var metrics = PrometheusText.Parse(text);
        metrics["websocket_connection_limit"].Should().Be(0);
        metrics["websocket_draining"].Should().Be(0);
        metrics.Should().ContainKeys("websocket_messages_total{direction=\"in\"}", "websocket_messages_total{direction=\"out\"}");
    }

    [Fact]
    public async Task A_plain_http_request_to_the_websocket_path_gets_400()
    {
        using var http = new HttpClient();

        using var response = await http.GetAsync(_server.WebSocketUri.ToString().Replace("ws://", "http://"));

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Health_and_readiness_answer_200_on_the_main_port()
    {
        using var http = new HttpClient();

        using var health = await http.GetAsync(new Uri(_server.BaseUri, "healthz"));

        health.StatusCode.Should().Be(HttpStatusCode.OK);
        (await _server.ReadinessAsync()).Should().Be(HttpStatusCode.OK);
    }

    /// <summary>Connects and waits for a /whoami answer, which proves the server has registered the client.</summary>
    private async Task<WebSocketTestClient> ConnectAsync()
    {
        var client = await WebSocketTestClient.ConnectAsync(_server.WebSocketUri);
        await client.WhoAmIAsync(Wait);
        return client;
    }
}
