using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json;
using WsPool.Testing;

namespace WsPool.ChatServer.Tests;

/// <summary>
/// POST /shed?count=N closes N connections with 1012 so the operator can rebalance hot replicas, then holds: upgrades
/// are refused with 503 while the replica holds what the shed left it, so a balancer retries shed clients elsewhere.
/// </summary>
public sealed class ShedTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Shed_closes_exactly_n_connections_with_1012_and_a_reason()
    {
        await using var server = await ChatServerProcess.StartAsync();
        var clients = await DrainTests.ConnectAsync(server, 5);

        var closed = await server.ShedAsync(3);

        closed.Should().Be(3);
        await server.WaitForMetricAsync("websocket_connections", v => v == 2, Wait);
        // The server counts a connection gone on its side; each client learns of its close on its own receive loop.
        var ended = await Eventually.ValueAsync(() => clients.Where(c => c.Closed.IsCompleted).ToList(), e => e.Count >= 3,
            "3 clients to see the shed's close", Wait, e => $"{e.Count} closed");
        ended.Should().HaveCount(3);
        foreach (var client in ended)
        {
            var close = await client.Closed;
            close.Code.Should().Be(1012);
            close.Reason.Should().NotBeNullOrWhiteSpace();
        }
        foreach (var survivor in clients.Where(c => !c.Closed.IsCompleted))
            (await survivor.WhoAmIAsync(Wait)).GetProperty("replica").GetString().Should().Be(server.ReplicaName);
        await DrainTests.DisposeAllAsync(clients);
    }

    [Fact]
    public async Task Shedding_more_than_are_open_closes_the_ones_there_are()
    {
        await using var server = await ChatServerProcess.StartAsync();
        var clients = await DrainTests.ConnectAsync(server, 2);

        (await server.ShedAsync(10)).Should().Be(2);

        await server.WaitForMetricAsync("websocket_connections", v => v == 0, Wait);
        await DrainTests.DisposeAllAsync(clients);
    }

    [Theory]
    [InlineData("shed")]
    [InlineData("shed?count=-1")]
    [InlineData("shed?count=many")]
    public async Task Shed_without_a_valid_count_is_a_400_naming_count(string query)
    {
        await using var server = await ChatServerProcess.StartAsync();
        using var http = new HttpClient();

        using var response = await http.PostAsync(new Uri(server.AdminUri, query), null);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).Should().Contain("count");
    }

    private const string RejectedAfterShed = "websocket_upgrades_rejected_total{reason=\"shed\"}";

    private static ChatServerOptions Hold(string hold) => new() { ExtraArguments = ["--shed-hold", hold] };

    private static async Task<JsonElement> ShedAnswerAsync(ChatServerProcess server, int count)
    {
        using var http = new HttpClient();
        using var response = await http.PostAsync(new Uri(server.AdminUri, $"shed?count={count}"), null);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    [Fact]
    public async Task After_a_shed_upgrades_are_refused_with_503_while_the_replica_holds_what_the_shed_left_it()
    {
        await using var server = await ChatServerProcess.StartAsync(Hold("10m"));
        var clients = await DrainTests.ConnectAsync(server, 5);
        (await server.ShedAsync(3)).Should().Be(3);
        await server.WaitForMetricAsync("websocket_connections", v => v == 2, Wait);

        var (status, retryAfter) = await WebSocketTestClient.ConnectExpectingRefusalAsync(server.WebSocketUri);

        status.Should().Be(503, "the balancer retries a 503 on another server");
        retryAfter.Should().NotBeNull();
        (await server.MetricAsync(RejectedAfterShed)).Should().Be(1);
        await DrainTests.DisposeAllAsync(clients);
    }

    [Fact]
    public async Task During_the_hold_an_upgrade_is_admitted_when_a_connection_has_left_below_what_the_shed_left()
    {
        await using var server = await ChatServerProcess.StartAsync(Hold("10m"));
        var clients = await DrainTests.ConnectAsync(server, 5);
        await server.ShedAsync(3);
        await server.WaitForMetricAsync("websocket_connections", v => v == 2, Wait);
        var survivor = clients.First(c => !c.Closed.IsCompleted);
        await survivor.DisposeAsync();
        await server.WaitForMetricAsync("websocket_connections", v => v == 1, Wait);

        await using var newcomer = await WebSocketTestClient.ConnectAsync(server.WebSocketUri);
        var (status, _) = await WebSocketTestClient.ConnectExpectingRefusalAsync(server.WebSocketUri);

        (await newcomer.WhoAmIAsync(Wait)).GetProperty("replica").GetString().Should().Be(server.ReplicaName);
        status.Should().Be(503, "back at the 2 the shed left, the hold refuses again");
        await DrainTests.DisposeAllAsync(clients);
    }

    [Fact]
    public async Task After_the_hold_time_upgrades_are_admitted_again()
    {
        await using var server = await ChatServerProcess.StartAsync(Hold("1s"));
        var clients = await DrainTests.ConnectAsync(server, 3);
        await server.ShedAsync(1);

        async Task<WebSocketTestClient?> TryConnectAsync()
        {
            try
            {
                return await WebSocketTestClient.ConnectAsync(server.WebSocketUri);
            }
            catch (WebSocketException)
            {
                return null;
            }
        }

        await using var admitted = await Eventually.ValueAsync<WebSocketTestClient?>(TryConnectAsync, c => c is not null,
            "an upgrade admitted once the 1s hold is over", Wait);

        await server.WaitForMetricAsync("websocket_connections", v => v == 3, Wait);
        await DrainTests.DisposeAllAsync(clients);
    }

    [Fact]
    public async Task The_shed_answer_says_how_long_and_from_how_many_connections_upgrades_are_refused()
    {
        await using var server = await ChatServerProcess.StartAsync(new ChatServerOptions
        {
            Environment = new Dictionary<string, string> { ["WSPOOL_SHED_HOLD"] = "45s" },
        });
        var clients = await DrainTests.ConnectAsync(server, 5);

        var answer = await ShedAnswerAsync(server, 3);

        answer.GetProperty("closed").GetInt32().Should().Be(3);
        answer.GetProperty("hold").GetProperty("duration").GetString().Should().Be("45s");
        answer.GetProperty("hold").GetProperty("refuseUpgradesAt").GetInt32().Should().Be(2);
        await DrainTests.DisposeAllAsync(clients);
    }

    [Fact]
    public async Task With_a_hold_of_0_a_shed_client_can_come_straight_back()
    {
        await using var server = await ChatServerProcess.StartAsync(Hold("0"));
        var clients = await DrainTests.ConnectAsync(server, 3);

        var answer = await ShedAnswerAsync(server, 1);
        await using var back = await WebSocketTestClient.ConnectAsync(server.WebSocketUri);

        answer.GetProperty("hold").ValueKind.Should().Be(JsonValueKind.Null);
        (await back.WhoAmIAsync(Wait)).GetProperty("replica").GetString().Should().Be(server.ReplicaName);
        (await server.MetricAsync(RejectedAfterShed)).Should().Be(0);
        await DrainTests.DisposeAllAsync(clients);
    }
}
