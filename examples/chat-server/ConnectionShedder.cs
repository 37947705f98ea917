using System.Net.WebSockets;

namespace ChatServer;

/// <summary>
/// Closes some connections on request (POST /shed?count=N) with 1012 (Service Restart), so their clients reconnect
/// through the balancer and land on less loaded replicas. The operator uses it to rebalance hot pods. Before the
/// closes go out it starts the <see cref="ShedHold"/>: upgrades are refused with 503 while the replica holds what the
/// shed leaves it, so a client whose affinity cookie names this replica is retried on another one.
/// </summary>
public sealed class ConnectionShedder(ChatSettings settings, ConnectionRegistry registry, ShedHold hold, ILogger<ConnectionShedder> logger)
{
    public const WebSocketCloseStatus ServiceRestart = (WebSocketCloseStatus)1012;
    public const string Reason = "rebalancing, please reconnect";

    /// <summary>What a shed did: how many it closed, and the count at or above which upgrades are refused during the hold.</summary>
    public readonly record struct Outcome(int Closed, int HoldCeiling);

    /// <summary>Closes up to <paramref name="count"/> connections, newest first.</summary>
    public async Task<Outcome> ShedAsync(int count)
    {
        var open = registry.Snapshot().Where(c => !c.IsClosing).ToList();
        var chosen = open.OrderByDescending(c => c.Id).Take(count).ToList();
        var ceiling = open.Count - chosen.Count;
        if (chosen.Count > 0) hold.Begin(ceiling);
        var victims = chosen.Where(c => c.RequestClose(ServiceRestart, Reason)).ToList();
        try
        {
            await Task.WhenAll(victims.Select(c => c.Finished)).WaitAsync(settings.CloseHandshakeTimeout + TimeSpan.FromSeconds(2));
        }
        catch (TimeoutException)
        {
            // Their close frames went out; clients that never answer are aborted by the connection itself.
        }
        logger.LogInformation("shed {Closed} of {Requested} requested connections; refusing upgrades at {Ceiling} or more for {Hold}",
            victims.Count, count, ceiling, Duration.Format(settings.ShedHold));
        return new Outcome(victims.Count, ceiling);
    }
}
