using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace WsPool.Load;

/// <summary>
/// One connection slot of a run: connects, asks /whoami, sends messages at the configured rate, and - when asked to -
/// reconnects after an early close with full-jitter exponential backoff, carrying its cookies, like a good client.
/// </summary>
internal sealed class LoadConnection(int index, LoadContext context)
{
    private readonly LoadOptions _options = context.Options;
    private readonly LoadStats _stats = context.Stats;
    private readonly CookieJar? _cookies = context.Options.Cookies switch
    {
        CookieMode.PerConnection => new CookieJar(),
        CookieMode.Shared => context.SharedCookies,
        _ => null,
    };
    private readonly List<string> _replicas = [];
    private readonly List<string> _ends = [];
    private readonly List<DateTimeOffset> _connectedAt = [];
    private readonly Uri _uri = WithQuery(context.Options.Url, context.Options.Query?.Replace("{i}", index.ToString()));

    public int Index => index;

    public ConnectionDetail Detail
    {
        get
        {
            lock (_replicas)
                lock (_ends)
                    return new(index, _replicas.ToList(), _ends.ToList()) { ConnectedAt = _connectedAt.ToList() };
        }
    }

    public async Task RunAsync()
    {
        var stopping = context.Stopping;
        var failuresInARow = 0;
        var firstAttempt = true;
        var hadSession = false;
        while (!stopping.IsCancellationRequested)
        {
            var socket = await ConnectAsync();
            var wasFirst = firstAttempt;
            firstAttempt = false;
            if (socket is null)
            {
                if (wasFirst) context.FirstAttemptMade(false);
                if (!_options.Reconnect || stopping.IsCancellationRequested) return;
                await BackoffAsync(failuresInARow++);
                continue;
            }

            if (hadSession) _stats.Reconnected();
            hadSession = true;
            failuresInARow = 0;
            var endedEarly = await SessionAsync(socket, wasFirst ? () => context.FirstAttemptMade(true) : null);
            if (!endedEarly || !_options.Reconnect) return;
            await BackoffAsync(failuresInARow++);
        }
    }

    private async Task<ClientWebSocket?> ConnectAsync()
    {
        var stopping = context.Stopping;
        try
        {
            await context.Handshakes.WaitAsync(stopping);
        }
        catch (OperationCanceledException)
        {
            return null;
        }

        var socket = new ClientWebSocket();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        try
        {
            socket.Options.CollectHttpResponseDetails = true;
            // The server pings; client pings would only add traffic to thousands of idle connections.
            socket.Options.KeepAliveInterval = TimeSpan.Zero;
            foreach (var (name, value) in _options.Headers) socket.Options.SetRequestHeader(name, value.Replace("{i}", index.ToString()));
            if (_cookies?.HeaderFor(_uri) is { } cookie) socket.Options.SetRequestHeader("Cookie", cookie);

            timeout.CancelAfter(_options.ConnectTimeout);
            var started = Stopwatch.GetTimestamp();
            await socket.ConnectAsync(_uri, context.Handlers.For(index), timeout.Token);
            _stats.HandshakeMs.Enqueue(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            _cookies?.Store(_uri, socket.HttpResponseHeaders);
            socket.HttpResponseHeaders = null; // thousands of connections need not keep their handshake headers
            return socket;
        }
        catch (Exception error)
        {
            if (!stopping.IsCancellationRequested)
                LoadStats.Add(_stats.Failed, ConnectFailure.Classify(error, socket, timedOut: timeout.IsCancellationRequested));
            socket.Dispose();
            return null;
        }
        finally
        {
            context.Handshakes.Release();
        }
    }

    /// <summary>Holds one open connection; returns true when it ended before the run did.</summary>
    /// <param name="ready">called once the connection knows its replica (the ramp counts connections as done then)</param>
    private async Task<bool> SessionAsync(ClientWebSocket socket, Action? ready)
    {
        var connectedAt = DateTimeOffset.UtcNow;
        _stats.SessionOpened();
        var whoAmI = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var receiving = ReceiveLoopAsync(socket, whoAmI);
        var replica = "unknown";
        using var sending = new CancellationTokenSource();
        Task? sender = null;
        try
        {
            if (_options.WhoAmI) replica = await AskWhoAmIAsync(socket, whoAmI, receiving);
            LoadStats.Add(_stats.Replicas, replica);
            LoadStats.Add(_stats.OpenPerReplica, replica);
            if (_options.KeepDetails)
                lock (_replicas)
                {
                    _replicas.Add(replica);
                    _connectedAt.Add(connectedAt);
                }
            ready?.Invoke();
            if (_options.MessageRate > 0) sender = SendLoopAsync(socket, sending.Token);

            var stopped = Task.Delay(Timeout.Infinite, context.Stopping);
            if (await Task.WhenAny(receiving, stopped) == receiving && !context.Stopping.IsCancellationRequested)
            {
                var code = ConnectFailure.CloseCode(await receiving);
                LoadStats.Add(_stats.ClosedEarly, code);
                if (_options.KeepDetails) lock (_ends) _ends.Add(code);
                await StopSendingAsync(sending, sender);
                return true;
            }

            // The run is over: close politely and wait (bounded) for the server's answer.
            await StopSendingAsync(sending, sender);
            using var closing = new CancellationTokenSource(_options.CloseTimeout);
            try
            {
                if (socket.State == WebSocketState.Open)
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "load run finished", closing.Token);
                await receiving.WaitAsync(closing.Token);
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException)
            {
                socket.Abort();
            }
            if (_options.KeepDetails) lock (_ends) _ends.Add("end");
            return false;
        }
        finally
        {
            LoadStats.Add(_stats.OpenPerReplica, replica, -1);
            _stats.SessionEnded();
            socket.Dispose();
        }
    }

    private async Task<string> AskWhoAmIAsync(ClientWebSocket socket, TaskCompletionSource<string> reply, Task receiving)
    {
        try
        {
            // Not cut short by a stop: a run that ends right after its ramp still learns where each connection landed.
            using var timeout = new CancellationTokenSource(_options.WhoAmITimeout);
            await socket.SendAsync("/whoami"u8.ToArray(), WebSocketMessageType.Text, true, timeout.Token);
            var answered = await Task.WhenAny(reply.Task, receiving, Task.Delay(_options.WhoAmITimeout, timeout.Token));
            return answered == reply.Task ? await reply.Task : "unknown";
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException)
        {
            return "unknown";
        }
    }

    /// <summary>Reads until the connection ends; returns the server's close status (null when it just dropped).</summary>
    private async Task<WebSocketCloseStatus?> ReceiveLoopAsync(ClientWebSocket socket, TaskCompletionSource<string> whoAmI)
    {
        var buffer = new byte[4096];
        var message = new MemoryStream();
        try
        {
            while (true)
            {
                var result = await socket.ReceiveAsync(buffer.AsMemory(), CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    if (socket.State == WebSocketState.CloseReceived)
                    {
                        using var timeout = new CancellationTokenSource(_options.CloseTimeout);
                        await socket.CloseOutputAsync(socket.CloseStatus ?? WebSocketCloseStatus.NormalClosure, null, timeout.Token);
                    }
                    return socket.CloseStatus;
                }
                if (!result.EndOfMessage)
                {
                    message.Write(buffer, 0, result.Count);
                    continue;
                }
                ReadOnlySpan<byte> text;
                if (message.Length > 0)
                {
                    message.Write(buffer, 0, result.Count);
                    text = message.GetBuffer().AsSpan(0, (int)message.Length);
                }
                else
                {
                    text = buffer.AsSpan(0, result.Count);
                }
                _stats.MessageReceived();
                OnMessage(text, whoAmI);
                message.SetLength(0);
            }
        }
        catch (Exception e) when (e is WebSocketException or IOException or ObjectDisposedException or OperationCanceledException)
        {
            return null;
        }
    }

    private void OnMessage(ReadOnlySpan<byte> text, TaskCompletionSource<string> whoAmI)
    {
        if (text.StartsWith("{\"type\":\"whoami\""u8))
        {
            try
            {
                using var reply = JsonDocument.Parse(text.ToArray());
                whoAmI.TrySetResult(reply.RootElement.GetProperty("replica").GetString() ?? "unknown");
            }
            catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
            {
                whoAmI.TrySetResult("unknown");
            }
            return;
        }
        // "/echo <index> <seq> <timestamp> <padding>": the timestamp is ours, so the round trip needs no lookup.
        if (!text.StartsWith("/echo "u8)) return;
        var fields = Encoding.ASCII.GetString(text[6..]).Split(' ', 4);
        if (fields.Length >= 3 && fields[0] == index.ToString() && long.TryParse(fields[2], out var sentAt))
            _stats.EchoMs.Enqueue(Stopwatch.GetElapsedTime(sentAt).TotalMilliseconds);
    }

    private async Task SendLoopAsync(ClientWebSocket socket, CancellationToken cancellationToken)
    {
        var interval = TimeSpan.FromSeconds(1 / _options.MessageRate);
        try
        {
            // A random phase, so a thousand connections opened together do not all send in the same millisecond.
            await Task.Delay(interval * context.NextRandom(), cancellationToken);
            using var timer = new PeriodicTimer(interval);
            var sequence = 0;
            do
            {
                var text = _options.MessageKind == MessageKind.Echo
                    ? $"/echo {index} {sequence++} {Stopwatch.GetTimestamp()} "
                    : $"load {index} {sequence++} ";
                if (text.Length < _options.MessageSize) text += new string('x', _options.MessageSize - text.Length);
                await socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, cancellationToken);
                _stats.MessageSent();
            } while (await timer.WaitForNextTickAsync(cancellationToken));
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException)
        {
            // The session is ending.
        }
    }

    private static async Task StopSendingAsync(CancellationTokenSource sending, Task? sender)
    {
        await sending.CancelAsync();
        if (sender is not null) await sender;
    }

    /// <summary>Full jitter: a random wait between 0 and min(max, min x 2^attempt).</summary>
    private async Task BackoffAsync(int attempt)
    {
        var ceiling = Math.Min(_options.ReconnectMaxDelay.TotalMilliseconds,
            _options.ReconnectMinDelay.TotalMilliseconds * Math.Pow(2, Math.Min(attempt, 20)));
        try
        {
            await Task.Delay(TimeSpan.FromMilliseconds(ceiling * context.NextRandom()), context.Stopping);
        }
        catch (OperationCanceledException)
        {
            // stopping
        }
    }

    private static Uri WithQuery(Uri url, string? query)
    {
        if (string.IsNullOrEmpty(query)) return url;
        var builder = new UriBuilder(url);
        builder.Query = string.IsNullOrEmpty(builder.Query) ? query : builder.Query.TrimStart('?') + "&" + query;
        return builder.Uri;
    }
}
