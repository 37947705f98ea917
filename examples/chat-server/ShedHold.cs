namespace ChatServer;

/// <summary>
/// After a shed, new upgrades are refused with 503 while the replica still holds as many connections as the shed
/// left it (the ceiling), for at most the hold time. Behind a balancer with cookie affinity a shed client reconnects
/// with the cookie that names this replica; the 503 makes the balancer retry it on another server (HAProxy's
/// <c>retry-on 503</c> with <c>option redispatch</c>), where leastconn picks the coolest and a new cookie is set.
/// Without the hold the shed client would come straight back.
/// </summary>
public sealed class ShedHold(ChatSettings settings)
{
    private readonly Lock _gate = new();
    private int _ceiling;
    private long _until;

    /// <summary>Starts (or replaces) a hold: refuse upgrades while at least <paramref name="ceiling"/> connections are open.</summary>
    public void Begin(int ceiling)
    {
        if (settings.ShedHold <= TimeSpan.Zero) return;
        lock (_gate)
        {
            _ceiling = ceiling;
            _until = Environment.TickCount64 + (long)settings.ShedHold.TotalMilliseconds;
        }
    }

    /// <summary>A new upgrade would take the replica back over what the last shed left it, while the hold lasts.</summary>
    public bool Refuses(int open)
    {
        lock (_gate)
            return Environment.TickCount64 < _until && open >= _ceiling;
    }
}
