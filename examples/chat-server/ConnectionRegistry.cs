using System.Collections.Concurrent;
using System.Net.WebSockets;

namespace ChatServer;

/// <summary>Why an upgrade was refused.</summary>
public enum Admission { Admitted, AtLimit, Draining, HeldAfterShed }

/// <summary>
/// The open connections of this replica, the connection limit, the draining flag and the hold after a shed. A slot is
/// reserved before the upgrade is accepted, so the limit holds even when many clients connect at the same instant.
/// </summary>
public sealed class ConnectionRegistry(ChatSettings settings, ChatMetrics metrics, ShedHold shedHold)
{
    private readonly ConcurrentDictionary<long, ChatConnection> _open = new();
    private int _reserved;
    private long _lastId;
    private int _draining;

    public int Count => _open.Count;
    public int Limit => settings.ConnectionLimit;
    public bool IsDraining => Volatile.Read(ref _draining) == 1;
    public bool IsAtLimit => Limit > 0 && Volatile.Read(ref _reserved) >= Limit;

    public Admission TryReserve()
    {
        if (IsDraining)
        {
            metrics.RejectedWhileDraining();
            return Admission.Draining;
        }
        while (true)
        {
            var reserved = Volatile.Read(ref _reserved);
            if (Limit > 0 && reserved >= Limit)
            {
                metrics.RejectedAtLimit();
                return Admission.AtLimit;
            }
            if (shedHold.Refuses(reserved))
            {
                metrics.RejectedAfterShed();
                return Admission.HeldAfterShed;
            }
            if (Interlocked.CompareExchange(ref _reserved, reserved + 1, reserved) == reserved) return Admission.Admitted;
        }
    }

    /// <summary>Gives back a reserved slot whose upgrade failed.</summary>
    public void Unreserve() => Interlocked.Decrement(ref _reserved);

    public ChatConnection Add(WebSocket socket, string localAddress)
    {
        var connection = new ChatConnection(Interlocked.Increment(ref _lastId), socket, localAddress, settings, metrics);
        _open[connection.Id] = connection;
        metrics.ConnectionAccepted();
        return connection;
    }

    public void Remove(ChatConnection connection)
    {
        if (_open.TryRemove(connection.Id, out _)) Interlocked.Decrement(ref _reserved);
    }

    /// <summary>Marks the replica as draining; true only for the call that started it.</summary>
    public bool BeginDraining() => Interlocked.Exchange(ref _draining, 1) == 0;

    /// <summary>The open connections, oldest first.</summary>
    public IReadOnlyList<ChatConnection> Snapshot() => _open.Values.OrderBy(c => c.Id).ToList();

    /// <summary>Queues a message for every open connection of this replica.</summary>
    public void SendToAll(ReadOnlyMemory<byte> utf8Text)
    {
        foreach (var connection in _open.Values) connection.Send(utf8Text);
    }
}
