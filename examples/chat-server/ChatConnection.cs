using System.Buffers;
using System.Net.WebSockets;
using System.Text;
using System.Threading.Channels;

namespace ChatServer;

/// <summary>
/// One client's WebSocket. A receive loop reads messages, a send loop writes queued messages, so a broadcast never
/// waits on a slow client. Every close the server starts (drain, shed, protocol errors) goes through the send loop,
/// because a WebSocket allows only one send at a time, and is bounded by an abort if the client never answers.
/// </summary>
public sealed class ChatConnection
{
    /// <summary>Messages waiting for a slow client; beyond this the client is closed rather than buffered forever.</summary>
    private const int OutboxCapacity = 1024;

    private readonly WebSocket _socket;
    private readonly ChatSettings _settings;
    private readonly ChatMetrics _metrics;
    private readonly Channel<ReadOnlyMemory<byte>> _outbox = Channel.CreateBounded<ReadOnlyMemory<byte>>(
        new BoundedChannelOptions(OutboxCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    private readonly TaskCompletionSource _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _closeRequested;
    private WebSocketCloseStatus _closeStatus = WebSocketCloseStatus.NormalClosure;
    private string? _closeReason;

    public ChatConnection(long id, WebSocket socket, string localAddress, ChatSettings settings, ChatMetrics metrics)
    {
        Id = id;
        _socket = socket;
        LocalAddress = localAddress;
        _settings = settings;
        _metrics = metrics;
    }

    public long Id { get; }

    /// <summary>The address and port the client reached, e.g. 127.0.0.2:8080 (what /whoami reports).</summary>
    public string LocalAddress { get; }

    /// <summary>True once the server has decided to close this connection.</summary>
    public bool IsClosing => Volatile.Read(ref _closeRequested) == 1;

    /// <summary>Completes when the connection is gone, whoever closed it.</summary>
    public Task Finished => _finished.Task;

    /// <summary>Queues a text message; a client whose queue is full is closed as too slow.</summary>
    public void Send(ReadOnlyMemory<byte> utf8Text)
    {
        if (!_outbox.Writer.TryWrite(utf8Text) && !IsClosing)
            RequestClose(WebSocketCloseStatus.PolicyViolation, "too slow: send queue full");
    }

    /// <summary>Starts a close handshake with this status; returns false when a close was already under way.</summary>
    public bool RequestClose(WebSocketCloseStatus status, string? reason)
    {
        if (Interlocked.Exchange(ref _closeRequested, 1) == 1) return false;
        _closeStatus = status;
        _closeReason = reason;
        _outbox.Writer.TryComplete();
        _ = AbortUnlessClosedInTimeAsync();
        return true;
    }

    /// <summary>Runs the connection until it closes; <paramref name="onMessage"/> sees every text message.</summary>
    public async Task RunAsync(Action<ChatConnection, string> onMessage, CancellationToken aborted)
    {
        var sending = SendLoopAsync();
        try
        {
            await ReceiveLoopAsync(onMessage, aborted);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException)
        {
            // The peer vanished or a keepalive timed out: nothing to answer, just clean up.
        }
        finally
        {
            RequestClose(WebSocketCloseStatus.NormalClosure, null);
            try
            {
                await sending.WaitAsync(_settings.CloseHandshakeTimeout);
            }
            catch (TimeoutException)
            {
                _socket.Abort();
            }
            _socket.Dispose();
            _finished.TrySetResult();
        }
    }

    private async Task ReceiveLoopAsync(Action<ChatConnection, string> onMessage, CancellationToken aborted)
    {
        while (true)
        {
            // A zero-byte receive waits for the next frame without holding a buffer: idle clients cost no buffer.
            var first = await _socket.ReceiveAsync(Memory<byte>.Empty, aborted);
            if (first.MessageType == WebSocketMessageType.Close)
            {
                // Answer the client's close with its own status (RFC 6455 5.5.1).
                RequestClose(_socket.CloseStatus ?? WebSocketCloseStatus.NormalClosure, _socket.CloseStatusDescription);
                return;
            }
            if (first.MessageType == WebSocketMessageType.Binary)
            {
                RequestClose(WebSocketCloseStatus.InvalidMessageType, "text messages only");
                return;
            }

            var text = await ReadRestOfMessageAsync(first.EndOfMessage, aborted);
            if (text is null) return;
            _metrics.MessageIn();
            onMessage(this, text);
        }
    }

    /// <summary>Reads one text message into a pooled buffer; null when it was too large (the client is then closed).</summary>
    private async Task<string?> ReadRestOfMessageAsync(bool alreadyComplete, CancellationToken aborted)
    {
        if (alreadyComplete) return "";
        var buffer = ArrayPool<byte>.Shared.Rent(4096);
        var length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    if (length > _settings.MaxMessageBytes)
                    {
                        RequestClose(WebSocketCloseStatus.MessageTooBig, $"messages are limited to {_settings.MaxMessageBytes} bytes");
                        return null;
                    }
                    var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }
                var result = await _socket.ReceiveAsync(buffer.AsMemory(length), aborted);
                length += result.Count;
                if (result.EndOfMessage) break;
            }
            if (length > _settings.MaxMessageBytes)
            {
                RequestClose(WebSocketCloseStatus.MessageTooBig, $"messages are limited to {_settings.MaxMessageBytes} bytes");
                return null;
            }
            return Encoding.UTF8.GetString(buffer, 0, length);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async Task SendLoopAsync()
    {
        try
        {
            var reader = _outbox.Reader;
            while (await reader.WaitToReadAsync())
            {
                while (reader.TryRead(out var message))
                {
                    await _socket.SendAsync(message, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
                    _metrics.MessageOut();
                }
            }
            if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
                await _socket.CloseOutputAsync(_closeStatus, _closeReason, CancellationToken.None);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException)
        {
            // The socket broke while sending; the receive loop sees the same and ends the connection.
        }
    }

    private async Task AbortUnlessClosedInTimeAsync()
    {
        try
        {
            await Finished.WaitAsync(_settings.CloseHandshakeTimeout + TimeSpan.FromSeconds(1));
        }
        catch (TimeoutException)
        {
            _socket.Abort();
        }
    }
}
