using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;

namespace WsPool.Testing;

/// <summary>How a server closed a test client's WebSocket, and when (Stopwatch timestamp, for spread checks).</summary>
public sealed record WebSocketClose(WebSocketCloseStatus? Status, string? Reason, long Timestamp)
{
    public int? Code => Status is null ? null : (int)Status;
}

/// <summary>
/// A real WebSocket client for tests. It receives in the background (so it answers pings like a live browser) and
/// queues text messages; every wait takes a timeout and fails with a clear message.
/// </summary>
public sealed class WebSocketTestClient : IAsyncDisposable
{
    private readonly ClientWebSocket _socket;
    private readonly Channel<string> _messages = Channel.CreateUnbounded<string>();
    private readonly TaskCompletionSource<WebSocketClose> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _receiving;

    private WebSocketTestClient(ClientWebSocket socket)
    {
        _socket = socket;
        _receiving = ReceiveLoopAsync();
    }

    public WebSocketState State => _socket.State;

    /// <summary>The upgrade response's headers (Set-Cookie, ...) when the options asked for them (CollectHttpResponseDetails).</summary>
    public IReadOnlyDictionary<string, IEnumerable<string>>? ResponseHeaders => _socket.HttpResponseHeaders;

    /// <summary>Completes when the connection ends: a close frame (with its code) or an abort (no code).</summary>
    public Task<WebSocketClose> Closed => _closed.Task;

    public static async Task<WebSocketTestClient> ConnectAsync(Uri uri, TimeSpan? timeout = null, Action<ClientWebSocketOptions>? configure = null)
    {
        var socket = new ClientWebSocket();
        configure?.Invoke(socket.Options);
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        try
        {
            await socket.ConnectAsync(uri, cts.Token);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        return new WebSocketTestClient(socket);
    }

    /// <summary>Tries an upgrade that is expected to be refused; returns the HTTP status and the Retry-After header.</summary>
    public static async Task<(int Status, string? RetryAfter)> ConnectExpectingRefusalAsync(Uri uri, TimeSpan? timeout = null)
    {
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        try
        {
            await socket.ConnectAsync(uri, cts.Token);
        }
        catch (WebSocketException)
        {
            var retryAfter = socket.HttpResponseHeaders?.TryGetValue("Retry-After", out var values) == true ? values.FirstOrDefault() : null;
            return ((int)socket.HttpStatusCode, retryAfter);
        }
        throw new InvalidOperationException($"the upgrade to {uri} was accepted, expected a refusal");
    }

    public Task SendAsync(string text)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        return _socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, cts.Token);
    }

    /// <summary>The next text message; fails when none comes in time.</summary>
    public async Task<string> NextMessageAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        try
        {
            return await _messages.Reader.ReadAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"no message within {timeout ?? TimeSpan.FromSeconds(10)} (state {_socket.State})");
        }
        catch (ChannelClosedException)
        {
            throw new InvalidOperationException($"the connection closed before a message came: {await Closed}");
        }
    }

    /// <summary>Skips messages until one satisfies <paramref name="match"/>; a timeout shows the last ones skipped.</summary>
    public async Task<string> WaitForMessageAsync(Func<string, bool> match, TimeSpan? timeout = null)
    {
        var limit = timeout ?? TimeSpan.FromSeconds(10);
        var started = Stopwatch.GetTimestamp();
        var skipped = new List<string>();
        while (true)
        {
            var left = limit - Stopwatch.GetElapsedTime(started);
            try
            {
                if (left <= TimeSpan.Zero) throw new TimeoutException();
                var message = await NextMessageAsync(left);
                if (match(message)) return message;
                skipped.Add(message);
            }
            catch (TimeoutException)
            {
                throw new TimeoutException($"no matching message within {limit} (state {_socket.State}); {skipped.Count} skipped, the last: "
                    + string.Join(" | ", skipped.TakeLast(5)));
            }
        }
    }

    /// <summary>Asks the server which replica this connection is on (the chat protocol's /whoami).</summary>
    public async Task<JsonElement> WhoAmIAsync(TimeSpan? timeout = null)
    {
        await SendAsync("/whoami");
        var reply = await WaitForMessageAsync(m => m.StartsWith("{\"type\":\"whoami\"", StringComparison.Ordinal), timeout);
        return JsonDocument.Parse(reply).RootElement.Clone();
    }

    /// <summary>Waits for the connection to end; fails when it is still open after the timeout.</summary>
    public async Task<WebSocketClose> WaitForCloseAsync(TimeSpan timeout)
    {
        try
        {
            return await Closed.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"the connection was still {_socket.State} after {timeout}");
        }
    }

    /// <summary>Closes from the client side (1000) and waits for the server's answer.</summary>
    public async Task CloseAsync()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            if (_socket.State == WebSocketState.Open)
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", cts.Token);
            await _receiving.WaitAsync(cts.Token);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            _socket.Abort();
        }
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                using var message = new MemoryStream();
                ValueWebSocketReceiveResult result;
                do
                {
                    result = await _socket.ReceiveAsync(buffer.AsMemory(), CancellationToken.None);
                    message.Write(buffer, 0, result.Count);
                } while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);

                if (result.MessageType == WebSocketMessageType.Close)
                {
                    _closed.TrySetResult(new WebSocketClose(_socket.CloseStatus, _socket.CloseStatusDescription, Stopwatch.GetTimestamp()));
                    if (_socket.State == WebSocketState.CloseReceived)
                        await _socket.CloseOutputAsync(_socket.CloseStatus ?? WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                    return;
                }
                _messages.Writer.TryWrite(Encoding.UTF8.GetString(message.GetBuffer(), 0, (int)message.Length));
            }
        }
        catch (Exception e) when (e is WebSocketException or IOException or ObjectDisposedException or OperationCanceledException)
        {
            _closed.TrySetResult(new WebSocketClose(null, e.Message, Stopwatch.GetTimestamp()));
        }
        finally
        {
            _messages.Writer.TryComplete();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open) _socket.Abort();
        try
        {
            await _receiving.WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (TimeoutException)
        {
            // abandoned; the socket is disposed below
        }
        _socket.Dispose();
    }
}
