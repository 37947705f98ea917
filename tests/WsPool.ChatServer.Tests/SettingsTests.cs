using System.Net;
using WsPool.Testing;

namespace WsPool.ChatServer.Tests;

/// <summary>The WSPOOL_* variables the operator injects, command-line overrides, and refusal of bad values.</summary>
public sealed class SettingsTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task The_operator_environment_variables_set_name_limit_path_admin_port_and_drain_window()
    {
        var adminPort = FreePort.Next(IPAddress.Parse("127.0.0.2"));
        await using var server = await ChatServerProcess.StartAsync(new ChatServerOptions
        {
            Address = "127.0.0.2",
            Environment = new Dictionary<string, string>
            {
                ["WSPOOL_POD_NAME"] = "chat-pod-0",
                ["WSPOOL_CONNECTION_LIMIT"] = "7",
                ["WSPOOL_WS_PATH"] = "/chat",
                ["WSPOOL_ADMIN_PORT"] = adminPort.ToString(),
                ["WSPOOL_DRAIN_TIMEOUT"] = "1m30s",
            },
        });
        await using var client = await WebSocketTestClient.ConnectAsync(new Uri($"ws://127.0.0.2:{server.Port}/chat"));

        (await client.WhoAmIAsync(Wait)).GetProperty("replica").GetString().Should().Be("chat-pod-0");
        (await server.MetricAsync("websocket_connection_limit")).Should().Be(7);
        using var http = new HttpClient();
        using var drain = await http.PostAsync($"http://127.0.0.2:{adminPort}/drain", null);
        (await drain.Content.ReadAsStringAsync()).Should().Contain("\"window\":\"1m30s\"");
    }

    [Fact]
    public async Task Hostname_names_the_replica_when_the_pod_name_is_not_set()
    {
        await using var server = await ChatServerProcess.StartAsync(new ChatServerOptions
        {
            Environment = new Dictionary<string, string> { ["HOSTNAME"] = "chat-7d9f-abc" },
        });
        await using var client = await WebSocketTestClient.ConnectAsync(server.WebSocketUri);

        (await client.WhoAmIAsync(Wait)).GetProperty("replica").GetString().Should().Be("chat-7d9f-abc");
    }

    [Fact]
    public async Task A_command_line_option_wins_over_the_environment_variable()
    {
        await using var server = await ChatServerProcess.StartAsync(new ChatServerOptions
        {
            Environment = new Dictionary<string, string> { ["WSPOOL_CONNECTION_LIMIT"] = "1" },
            ExtraArguments = ["--connection-limit", "3"],
        });

        (await server.MetricAsync("websocket_connection_limit")).Should().Be(3);
    }

    [Fact]
    public async Task Two_replicas_share_one_port_on_different_loopback_addresses()
    {
        var addresses = new[] { IPAddress.Parse("127.0.0.2"), IPAddress.Parse("127.0.0.3") };
        var port = FreePort.NextOnAll(addresses);
        var adminPort = FreePort.NextOnAll(addresses);
        await using var a = await ChatServerProcess.StartAsync(new ChatServerOptions { Address = "127.0.0.2", Port = port, AdminPort = adminPort, ReplicaName = "a" });
        await using var b = await ChatServerProcess.StartAsync(new ChatServerOptions { Address = "127.0.0.3", Port = port, AdminPort = adminPort, ReplicaName = "b" });
        await using var onA = await WebSocketTestClient.ConnectAsync(a.WebSocketUri);
        await using var onB = await WebSocketTestClient.ConnectAsync(b.WebSocketUri);

        (await onA.WhoAmIAsync(Wait)).GetProperty("address").GetString().Should().Be($"127.0.0.2:{port}");
        (await onB.WhoAmIAsync(Wait)).GetProperty("address").GetString().Should().Be($"127.0.0.3:{port}");
        (await b.ShedAsync(5)).Should().Be(1, "each admin port reaches its own replica only");
        (await a.MetricAsync("websocket_connections")).Should().Be(1);
    }

    [Theory]
    [InlineData("--drain-timeout", "soon", "--drain-timeout / WSPOOL_DRAIN_TIMEOUT")]
    [InlineData("--connection-limit", "-5", "--connection-limit / WSPOOL_CONNECTION_LIMIT")]
    [InlineData("--redis-url", "http://redis:6379", "--redis-url / WSPOOL_REDIS_URL")]
    [InlineData("--ws-path", "ws", "--ws-path / WSPOOL_WS_PATH")]
    [InlineData("--shed-hold", "a while", "--shed-hold / WSPOOL_SHED_HOLD")]
    public async Task A_bad_setting_exits_2_with_a_message_naming_the_option(string option, string value, string named)
    {
        await using var process = ManagedProcess.Start(ChatServerProcess.DotnetHost(),
            [ChatServerProcess.LocateServerDll(), "--urls", $"http://127.0.0.1:{FreePort.Next()}", option, value]);

        (await process.WaitForExitAsync(TimeSpan.FromSeconds(30))).Should().BeTrue();
        process.ExitCode.Should().Be(2);
        process.Output.Should().Contain(named).And.NotContain("   at ", "a bad setting is reported, not thrown as a stack trace");
    }

    [Fact]
    public async Task A_port_that_is_already_taken_exits_3_naming_the_address()
    {
        using var squatter = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        squatter.Start();
        var port = ((IPEndPoint)squatter.LocalEndpoint).Port;

        await using var process = ManagedProcess.Start(ChatServerProcess.DotnetHost(),
            [ChatServerProcess.LocateServerDll(), "--urls", $"http://127.0.0.1:{port}", "--admin-port", FreePort.Next().ToString()]);

        (await process.WaitForExitAsync(TimeSpan.FromSeconds(30))).Should().BeTrue();
        process.ExitCode.Should().Be(3);
        process.Output.Should().Contain($"chat-server: Failed to bind to address http://127.0.0.1:{port}: address already in use");
    }
}
