using System.Globalization;
using System.Net.WebSockets;
using WsPool.Testing;

namespace WsPool.ChatServer.Tests;

/// <summary>
/// Server pings keep idle connections alive through a balancer's idle timeout (a real HAProxy with a 1 s tunnel
/// timeout) and drop peers that stop answering.
/// </summary>
public sealed class KeepAliveTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan ProxyIdleTimeout = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task Pings_keep_an_idle_connection_alive_past_the_proxy_idle_timeout()
    {
        await using var server = await ChatServerProcess.StartAsync(new ChatServerOptions { KeepAliveInterval = TimeSpan.FromMilliseconds(200) });
        await using var proxy = await StartHaproxyAsync(server);
        await using var client = await WebSocketTestClient.ConnectAsync(proxy.Uri);

        // Proves a close does NOT happen: the connection must outlive three proxy idle timeouts. A fixed window is the
        // only way to observe an absence, and a slow machine can only delay a close, not invent one.
        var idleEnded = await Task.WhenAny(client.Closed, Task.Delay(ProxyIdleTimeout * 3));

        idleEnded.Should().NotBeSameAs(client.Closed, "pings every 200ms keep the 1s tunnel timeout from firing");
        (await client.WhoAmIAsync(Wait)).GetProperty("replica").GetString().Should().Be(server.ReplicaName);
    }

    [Fact]
    public async Task Without_pings_the_proxy_cuts_the_idle_connection()
    {
        // The control for the test above: the same proxy drops an idle connection when the server does not ping.
        await using var server = await ChatServerProcess.StartAsync(new ChatServerOptions { KeepAliveInterval = TimeSpan.Zero });
        await using var proxy = await StartHaproxyAsync(server);
        await using var client = await WebSocketTestClient.ConnectAsync(proxy.Uri);

        var close = await client.WaitForCloseAsync(Wait);

        close.Code.Should().BeNull("HAProxy closes the TCP connection without a WebSocket close frame");
    }

    [Fact]
    public async Task A_peer_that_stops_answering_pings_is_dropped()
    {
        await using var server = await ChatServerProcess.StartAsync(new ChatServerOptions
        {
            KeepAliveInterval = TimeSpan.FromMilliseconds(200),
            KeepAliveTimeout = TimeSpan.FromMilliseconds(500),
        });
        // A client that never reads does not answer pings: to the server it is a dead peer.
        using var silent = new ClientWebSocket();
        silent.Options.KeepAliveInterval = TimeSpan.Zero;
        using (var cts = new CancellationTokenSource(Wait)) await silent.ConnectAsync(server.WebSocketUri, cts.Token);
        await server.WaitForMetricAsync("websocket_connections", v => v == 1, Wait);

        (await server.WaitForMetricAsync("websocket_connections", v => v == 0, Wait)).Should().Be(0);
    }

    private static async Task<HaproxyTunnel> StartHaproxyAsync(ChatServerProcess server)
    {
        var port = FreePort.Next();
        var config = Path.Combine(Path.GetTempPath(), $"wspool-keepalive-{Guid.NewGuid():N}.cfg");
        var idle = ((int)ProxyIdleTimeout.TotalMilliseconds).ToString(CultureInfo.InvariantCulture) + "ms";
        await File.WriteAllTextAsync(config, $"""
            global
              maxconn 100
            defaults
              mode http
              timeout connect 2s
              timeout client {idle}
              timeout server {idle}
              # Once upgraded, only the tunnel timeout applies: it closes a connection idle in both directions.
              timeout tunnel {idle}
            frontend chat
              bind 127.0.0.1:{port}
              default_backend chat
            backend chat
              server chat1 {server.Address}:{server.Port}

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
        return new HaproxyTunnel(process, new Uri($"ws://127.0.0.1:{port}{server.WebSocketPath}"), config);
    }

    private sealed record HaproxyTunnel(ManagedProcess Process, Uri Uri, string ConfigPath) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Process.DisposeAsync();
            File.Delete(ConfigPath);
        }
    }
}
