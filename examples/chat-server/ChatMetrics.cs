using System.Globalization;
using System.Text;

namespace ChatServer;

/// <summary>
/// The counters the operator scales on, written as Prometheus text by hand: five series do not need a library, and
/// the names are a contract (websocket_connections is the pool's default scaling metric).
/// </summary>
public sealed class ChatMetrics
{
    private long _connectionsTotal;
    private long _messagesIn;
    private long _messagesOut;
    private long _rejectedLimit;
    private long _rejectedDraining;
    private long _rejectedAfterShed;

    public long ConnectionsTotal => Interlocked.Read(ref _connectionsTotal);
    public long MessagesIn => Interlocked.Read(ref _messagesIn);
    public long MessagesOut => Interlocked.Read(ref _messagesOut);

    public void ConnectionAccepted() => Interlocked.Increment(ref _connectionsTotal);
    public void MessageIn() => Interlocked.Increment(ref _messagesIn);
    public void MessageOut() => Interlocked.Increment(ref _messagesOut);
    public void RejectedAtLimit() => Interlocked.Increment(ref _rejectedLimit);
    public void RejectedWhileDraining() => Interlocked.Increment(ref _rejectedDraining);
    public void RejectedAfterShed() => Interlocked.Increment(ref _rejectedAfterShed);

    public string Render(int open, int limit, bool draining)
    {
        var text = new StringBuilder();
        void Metric(string name, string type, string help, params (string Labels, long Value)[] samples)
        {
            text.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n');
            text.Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');
            foreach (var (labels, value) in samples)
                text.Append(name).Append(labels).Append(' ').Append(value.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }

        Metric("websocket_connections", "gauge", "WebSocket connections open now.", ("", open));
        Metric("websocket_connections_total", "counter", "WebSocket connections accepted since the process started.", ("", ConnectionsTotal));
        Metric("websocket_messages_total", "counter", "WebSocket messages received from clients (in) and sent to clients (out).",
            ("{direction=\"in\"}", MessagesIn), ("{direction=\"out\"}", MessagesOut));
        Metric("websocket_connection_limit", "gauge", "Most WebSocket connections this replica accepts; 0 means no limit.", ("", limit));
        Metric("websocket_draining", "gauge", "1 while the replica drains its connections before it exits, else 0.", ("", draining ? 1 : 0));
        Metric("websocket_upgrades_rejected_total", "counter", "WebSocket upgrades refused with 503, by reason.",
            ("{reason=\"limit\"}", Interlocked.Read(ref _rejectedLimit)), ("{reason=\"draining\"}", Interlocked.Read(ref _rejectedDraining)),
            ("{reason=\"shed\"}", Interlocked.Read(ref _rejectedAfterShed)));
        return text.ToString();
    }
}
