using System.Globalization;
using System.Net;
using System.Text.Json;
using WsPool.Load;
using WsPool.Testing;

namespace WsPool.ChatServer.Tests;

/// <summary>The same scenarios driven through wsload: its counts must match what the server's metrics say.</summary>
public sealed class WsLoadTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Opened_and_per_replica_counts_match_the_server_metrics()
    {
        await using var server = await ChatServerProcess.StartAsync(new ChatServerOptions { ReplicaName = "chat-a" });
        await using var run = LoadRunner.Start(new LoadOptions { Url = server.WebSocketUri, Connections = 30, Hold = null });

        var holding = await run.WaitForAsync(s => s.RampDone && s.OpenPerReplica.GetValueOrDefault("chat-a") == 30, Wait);
        // wsload counts a connection open when its handshake completes; the server's gauge may show it a moment later.
        await server.WaitForMetricAsync("websocket_connections", v => v == holding.Open, Wait);
        var summary = await run.StopAsync();

        summary.Opened.Should().Be(30);
        summary.OpenAtEnd.Should().Be(30);
        summary.Replicas.Should().Equal(new Dictionary<string, int> { ["chat-a"] = 30 });
        summary.FailedTotal.Should().Be(0);
        await server.WaitForMetricAsync("websocket_connections_total", v => v == summary.Opened, Wait);
        // wsload closes what it opened.
        await server.WaitForMetricAsync("websocket_connections", v => v == 0, Wait);
    }

    [Fact]
    public async Task Upgrades_refused_at_the_limit_are_counted_as_http_503_failures()
    {
        await using var server = await ChatServerProcess.StartAsync(new ChatServerOptions { ConnectionLimit = 5 });

        var summary = await LoadRunner.RunAsync(new LoadOptions { Url = server.WebSocketUri, Connections = 8, Hold = TimeSpan.Zero });

        summary.Opened.Should().Be(5);
        summary.Failed.Should().Equal(new Dictionary<string, int> { ["http-503"] = 3 });
        (await server.MetricAsync("websocket_upgrades_rejected_total{reason=\"limit\"}")).Should().Be(3);
    }

    [Fact]
    public async Task Shed_connections_are_counted_as_early_closes_with_1012_and_reconnect()
    {
        // No hold after the shed: with one replica the reconnects have nowhere else to go.
        await using var server = await ChatServerProcess.StartAsync(new ChatServerOptions { ExtraArguments = ["--shed-hold", "0"] });
        await using var run = LoadRunner.Start(new LoadOptions
        {
            Url = server.WebSocketUri, Connections = 10, Hold = null, Reconnect = true, ReconnectMinDelay = TimeSpan.FromMilliseconds(50),
        });
        await run.WaitForAsync(s => s.RampDone && s.Open == 10, Wait);

        (await server.ShedAsync(4)).Should().Be(4);
        await run.WaitForAsync(s => s.Reconnects == 4 && s.Open == 10, Wait);
        var summary = await run.StopAsync();

        summary.ClosedEarly.Should().Equal(new Dictionary<string, int> { ["1012"] = 4 });
        summary.Reconnects.Should().Be(4);
        summary.Opened.Should().Be(14);
        // The reconnects are open on wsload's side as soon as their handshakes complete; the server counts them after.
        await server.WaitForMetricAsync("websocket_connections_total", v => v == summary.Opened, Wait);
    }

    [Fact]
    public async Task A_drain_shows_as_early_closes_with_1001_for_every_connection()
    {
        await using var server = await ChatServerProcess.StartAsync(new ChatServerOptions { DrainTimeout = TimeSpan.FromSeconds(1) });
        await using var run = LoadRunner.Start(new LoadOptions { Url = server.WebSocketUri, Connections = 12, Hold = null });
        await run.WaitForAsync(s => s.RampDone && s.Open == 12, Wait);

        server.Terminate();
        await run.WaitForAsync(s => s.ClosedEarlyTotal == 12, Wait);
        var summary = await run.StopAsync();

        summary.ClosedEarly.Should().Equal(new Dictionary<string, int> { ["1001"] = 12 });
        (await server.WaitForExitAsync(Wait)).Should().BeTrue();
        server.ExitCode.Should().Be(0);
    }

    [Fact]
    public async Task Echo_messages_give_latency_samples_and_the_server_counts_every_message_in()
    {
        await using var server = await ChatServerProcess.StartAsync();
        await using var run = LoadRunner.Start(new LoadOptions
        {
            Url = server.WebSocketUri, Connections = 5, Hold = null, MessageRate = 20, MessageKind = MessageKind.Echo,
        });
        await run.WaitForAsync(s => s.MessagesReceived >= 5 + 20, Wait);
        var summary = await run.StopAsync();

        summary.EchoLatency.Count.Should().BeGreaterThan(0);
        summary.EchoLatency.P50Ms.Should().BeLessThanOrEqualTo(summary.EchoLatency.P99Ms);
        // Every load message plus one /whoami per connection reached the server.
        await server.WaitForMetricAsync("websocket_messages_total{direction=\"in\"}", v => v == summary.MessagesSent + 5, Wait);
    }

    [Fact]
    public async Task Connections_spread_over_several_source_addresses_all_open()
    {
        await using var server = await ChatServerProcess.StartAsync();

        var summary = await LoadRunner.RunAsync(new LoadOptions
        {
            Url = server.WebSocketUri, Connections = 9, Hold = TimeSpan.Zero,
            SourceAddresses = [IPAddress.Parse("127.0.0.11"), IPAddress.Parse("127.0.0.12"), IPAddress.Parse("127.0.0.13")],
        });

        summary.Opened.Should().Be(9);
        summary.FailedTotal.Should().Be(0);
    }

    [Fact]
    public async Task Connects_to_a_closed_port_are_counted_as_connection_refused()
    {
        var port = FreePort.Next();

        var summary = await LoadRunner.RunAsync(new LoadOptions { Url = new Uri($"ws://127.0.0.1:{port}/ws"), Connections = 3, Hold = TimeSpan.Zero });

        summary.Opened.Should().Be(0);
        summary.Failed.Should().Equal(new Dictionary<string, int> { ["connection-refused"] = 3 });
    }

    [Fact]
    public async Task A_kept_affinity_cookie_brings_a_reconnecting_client_back_to_its_replica()
    {
        // A real HAProxy inserts a per-server cookie; wsload keeps it and sends it on reconnect after a shed.
        // No hold after the shed (which would refuse the cookie's replica): this is about the cookie alone.
        await using var a = await ChatServerProcess.StartAsync(new ChatServerOptions { Address = "127.0.0.2", ReplicaName = "a", ExtraArguments = ["--shed-hold", "0"] });
        await using var b = await ChatServerProcess.StartAsync(new ChatServerOptions { Address = "127.0.0.3", ReplicaName = "b", ExtraArguments = ["--shed-hold", "0"] });
        await using var proxy = await CookieProxy.StartAsync(a, b);
        await using var run = LoadRunner.Start(new LoadOptions
        {
            Url = proxy.Uri, Connections = 6, Hold = null, Reconnect = true, Cookies = CookieMode.PerConnection, KeepDetails = true,
            ReconnectMinDelay = TimeSpan.FromMilliseconds(50),
        });
        await run.WaitForAsync(s => s.RampDone && s.Open == 6, Wait);

        await a.ShedAsync(10);
        await b.ShedAsync(10);
        await run.WaitForAsync(s => s.Reconnects == 6 && s.Open == 6, Wait);
        var summary = await run.StopAsync();

        summary.Details!.Should().AllSatisfy(d => d.Replicas.Should().HaveCount(2).And.OnlyContain(r => r == d.Replicas[0]));
        summary.Details!.Should().AllSatisfy(d => d.ConnectedAt.Should().HaveCount(2, "one connect time per replica reached")
            .And.BeInAscendingOrder().And.OnlyContain(t => t > DateTimeOffset.UtcNow.AddMinutes(-5) && t <= DateTimeOffset.UtcNow));
        summary.Replicas.Keys.Should().BeEquivalentTo(["a", "b"], "round robin put first connections on both");
    }

    [Fact]
    public async Task The_wsload_exe_prints_a_json_summary()
    {
        await using var server = await ChatServerProcess.StartAsync(new ChatServerOptions { ReplicaName = "exe" });
        var wsload = Path.Combine(AppContext.BaseDirectory, "wsload.dll");

        await using var process = ManagedProcess.Start(ChatServerProcess.DotnetHost(),
            [wsload, server.WebSocketUri.ToString(), "--connections", "4", "--hold", "0s", "--json"]);

        (await process.WaitForExitAsync(Wait)).Should().BeTrue(process.Output);
        process.ExitCode.Should().Be(0, process.Output);
        var json = process.Output[process.Output.IndexOf('{')..];
        var summary = SummaryJson.Deserialize(json)!;
        summary.Opened.Should().Be(4);
        summary.Replicas.Should().Equal(new Dictionary<string, int> { ["exe"] = 4 });
        JsonDocument.Parse(json).RootElement.GetProperty("echoLatency").GetProperty("p99Ms").ValueKind.Should().Be(JsonValueKind.Number);
    }

    [Fact]
    public async Task The_wsload_exe_rejects_a_bad_option_naming_it()
    {
        var wsload = Path.Combine(AppContext.BaseDirectory, "wsload.dll");

        await using var process = ManagedProcess.Start(ChatServerProcess.DotnetHost(), [wsload, "ws://127.0.0.1:1/ws", "--hold", "soon"]);

        (await process.WaitForExitAsync(Wait)).Should().BeTrue();
        process.ExitCode.Should().NotBe(0);
        process.Output.Should().Contain("--hold");
    }

    /// <summary>HAProxy in front of two replicas, round robin, with an inserted affinity cookie per server.</summary>
    private sealed record CookieProxy(ManagedProcess Process, Uri Uri, string ConfigPath) : IAsyncDisposable
    {
        public static async Task<CookieProxy> StartAsync(ChatServerProcess a, ChatServerProcess b)
        {
            var port = FreePort.Next();
            var config = Path.Combine(Path.GetTempPath(), $"wspool-cookie-{Guid.NewGuid():N}.cfg");
            await File.WriteAllTextAsync(config, $"""
                defaults
                  mode http
                  timeout connect 2s
                  timeout client 30s
                  timeout server 30s
                  timeout tunnel 1h
                frontend chat
                  bind 127.0.0.1:{port}
                  default_backend chat
                backend chat
                  balance roundrobin
                  cookie WSPOOL insert indirect nocache
                  server a {a.Address}:{a.Port.ToString(CultureInfo.InvariantCulture)} cookie a
                  server b {b.Address}:{b.Port.ToString(CultureInfo.InvariantCulture)} cookie b

                """);
            var process = ManagedProcess.Start(Tools.Path(Tools.HAProxy), ["-db", "-f", config]);
            try
            {
                await process.WaitForPortAsync("127.0.0.1", port, Wait);
            }
            catch
            {
                await process.DisposeAsync();
                throw;
            }
            return new CookieProxy(process, new Uri($"ws://127.0.0.1:{port}/ws"), config);
        }

        public async ValueTask DisposeAsync()
        {
            await Process.DisposeAsync();
            File.Delete(ConfigPath);
        }
    }
}
