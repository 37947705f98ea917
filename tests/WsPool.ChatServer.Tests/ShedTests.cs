using System.Net;
using WsPool.Testing;

namespace WsPool.ChatServer.Tests;

/// <summary>POST /shed?count=N closes N connections with 1012 so the operator can rebalance hot replicas.</summary>
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
}
