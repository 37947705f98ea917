using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;

namespace WsPool.Load;

/// <summary>Names why a handshake failed, in short stable words a summary can count: http-503, connection-refused, timeout.</summary>
internal static class ConnectFailure
{
    public static string Classify(Exception error, ClientWebSocket socket, bool timedOut)
    {
        if (timedOut) return "timeout";
        var status = (int)socket.HttpStatusCode;
        if (status != 0 && status != 101) return $"http-{status}";
        for (var e = error; e is not null; e = e.InnerException)
        {
            if (e is SocketException socketError)
                return socketError.SocketErrorCode switch
                {
                    SocketError.ConnectionRefused => "connection-refused",
                    SocketError.ConnectionReset => "connection-reset",
                    SocketError.TimedOut => "timeout",
                    SocketError.AddressAlreadyInUse or SocketError.AddressNotAvailable => "no-local-port",
                    SocketError.TooManyOpenSockets => "too-many-open-files",
                    var other => "socket-" + Kebab(other.ToString()),
                };
            if (e is IOException && e.InnerException is null) return "connection-closed";
        }
        return error is WebSocketException webSocketError ? "websocket-" + Kebab(webSocketError.WebSocketErrorCode.ToString()) : Kebab(error.GetType().Name);
    }

    /// <summary>How a session ended: its close code, or "abnormal" when the connection dropped without a close frame.</summary>
    public static string CloseCode(WebSocketCloseStatus? status) => status is null ? "abnormal" : ((int)status.Value).ToString();

    private static string Kebab(string name)
    {
        var text = new StringBuilder();
        foreach (var c in name)
        {
            if (char.IsUpper(c) && text.Length > 0) text.Append('-');
            text.Append(char.ToLowerInvariant(c));
        }
        return text.ToString();
    }
}
