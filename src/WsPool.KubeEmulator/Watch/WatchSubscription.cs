using System.Threading.Channels;
using WsPool.KubeEmulator.Resources;
using WsPool.KubeEmulator.Selectors;
using WsPool.KubeEmulator.Storage;

namespace WsPool.KubeEmulator.Watch;

/// <summary>
/// One open watch: its filters and a queue of ready-to-send lines. Events are offered under the store lock, in
/// commit order; the HTTP side drains the queue. Like the API server's watch cache, a change that makes an object
/// start or stop matching the selectors is sent as ADDED or DELETED.
/// </summary>
internal sealed class WatchSubscription(ResourceType served, string? ns, LabelSelector labels, FieldSelector fields)
{
    private readonly Channel<byte[]> _lines = Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleReader = true });
    private volatile bool _closed;

    public ChannelReader<byte[]> Lines => _lines.Reader;
    public bool IsClosed => _closed;

    public void Close()
    {
        _closed = true;
        _lines.Writer.TryComplete();
    }

    public bool Matches(StoredObject o) =>
        (ns is null || o.Namespace == ns) && labels.Matches(o.Labels) && fields.Matches(o);

    public void Offer(WatchEventRecord e)
    {
        if (_closed) return;
        var now = Matches(e.Object);
        var before = e.Previous is not null && Matches(e.Previous);
        string? type = e.Type switch
        {
            WatchEventType.Added => now ? "ADDED" : null,
            WatchEventType.Deleted => before || now ? "DELETED" : null,
            _ when now && before => "MODIFIED",
            _ when now => "ADDED",
            _ when before => "DELETED",
            _ => null,
        };
        if (type is null) return;
        // A selector that stops matching gets the new state as DELETED, as the watch cache does.
        _lines.Writer.TryWrite(WatchEventRecord.Line(type, e.Object.JsonFor(served)));
    }

    public void Enqueue(byte[] line)
    {
        if (!_closed) _lines.Writer.TryWrite(line);
    }
}
