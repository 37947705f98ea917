using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using WsPool.Testing;

namespace WsPool.Balancers.Tests.DataPlane;

/// <summary>Real WebSocket clients through a balancer: which pod did a connection reach, with what key.</summary>
public static class Clients
{
    /// <summary>Connects, asks /whoami, and returns the replica (the backend's address) with the open client.</summary>
    public static async Task<(WebSocketTestClient Client, string Replica)> ConnectAsync(Uri uri, Action<ClientWebSocketOptions>? configure = null)
    {
        var client = await WebSocketTestClient.ConnectAsync(uri, TimeSpan.FromSeconds(15), configure);
        try
        {
            var whoami = await client.WhoAmIAsync(TimeSpan.FromSeconds(10));
            return (client, whoami.GetProperty("replica").GetString()!);
        }
        catch
        {
            await client.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Opens connections until one lands on <paramref name="replica"/> (after a reload or a DNS change the balancer
    /// takes a moment to use it); each stays open in <paramref name="held"/>. A timeout lists where they landed.
    /// </summary>
    public static Task ConnectUntilAsync(Uri uri, string replica, List<(WebSocketTestClient Client, string Replica)> held,
        TimeSpan? timeout = null)
    {
        var first = held.Count;
        return Eventually.ValueAsync(async () =>
        {
            held.Add(await ConnectAsync(uri));
            return held.Skip(first).Select(h => h.Replica).ToList();
        }, reached => reached[^1] == replica, $"a new connection through {uri} on {replica}", timeout,
            reached => $"{reached.Count} connections reached {string.Join(", ", reached.CountBy(r => r).Select(c => $"{c.Key} ×{c.Value}"))}");
    }

    /// <summary>
    /// Connects as a browser would: with the <c>Cookie</c> header it holds (if any), keeping the <c>Set-Cookie</c> of the
    /// upgrade response. Returns the open client, its replica and the cookie set (null when the balancer set none).
    /// </summary>
    public static async Task<(WebSocketTestClient Client, string Replica, string? SetCookie)> ConnectWithCookieAsync(Uri uri, string? cookie = null)
    {
        var (client, replica) = await ConnectAsync(uri, o =>
        {
            o.CollectHttpResponseDetails = true;
            if (cookie is not null) o.SetRequestHeader("Cookie", cookie);
        });
        var setCookie = client.ResponseHeaders is { } headers && headers.TryGetValue("Set-Cookie", out var values) ? values.SingleOrDefault() : null;
        return (client, replica, setCookie);
    }

    /// <summary>Connects once, reads the replica, closes.</summary>
    public static async Task<string> ReplicaAsync(Uri uri, Action<ClientWebSocketOptions>? configure = null)
    {
        var (client, replica) = await ConnectAsync(uri, configure);
        await client.CloseAsync();
        await client.DisposeAsync();
        return replica;
    }

    /// <summary>Like <see cref="ReplicaAsync"/> but from a chosen loopback source address (a distinct client IP).</summary>
    public static async Task<string> ReplicaFromAsync(Uri uri, IPAddress source)
    {
        using var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, token) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                try
                {
                    socket.Bind(new IPEndPoint(source, 0));
                    await socket.ConnectAsync(context.DnsEndPoint, token);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        using var invoker = new HttpMessageInvoker(handler);
        using var socket = new ClientWebSocket();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        await socket.ConnectAsync(uri, invoker, cts.Token);
        await socket.SendAsync(Encoding.UTF8.GetBytes("/whoami"), WebSocketMessageType.Text, true, cts.Token);
        var buffer = new byte[8192];
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, cts.Token);
            var text = Encoding.UTF8.GetString(buffer, 0, result.Count);
            if (!text.StartsWith("{\"type\":\"whoami\"", StringComparison.Ordinal)) continue;
            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", cts.Token);
            return JsonDocument.Parse(text).RootElement.GetProperty("replica").GetString()!;
        }
    }
}
