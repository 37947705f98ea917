using System.Net.WebSockets;

namespace ChatServer;

/// <summary>
/// Closes some connections on request (POST /shed?count=N) with 1012 (Service Restart), so their clients reconnect
/// through the balancer and land on less loaded replicas. The operator uses it to rebalance hot pods.
/// </summary>
public sealed class ConnectionShedder(ChatSettings settings, ConnectionRegistry registry, ILogger<ConnectionShedder> logger)
{
    public const WebSocketCloseStatus ServiceRestart = (WebSocketCloseStatus)1012;
    public const string Reason = "rebalancing, please reconnect";

    /// <summary>Closes up to <paramref name="count"/> connections, newest first; returns how many it closed.</summary>
    public async Task<int> ShedAsync(int count)
    {
        var victims = registry.Snapshot()
            .Where(c => !c.IsClosing)
            .OrderByDescending(c => c.Id)
            .Take(count)
            .Where(c => c.RequestClose(ServiceRestart, Reason))
            .ToList();
        try
        {
            await Task.WhenAll(victims.Select(c => c.Finished)).WaitAsync(settings.CloseHandshakeTimeout + TimeSpan.FromSeconds(2));
        }
        catch (TimeoutException)
        {
            // Their close frames went out; clients that never answer are aborted by the connection itself.
        }
        logger.LogInformation("shed {Closed} of {Requested} requested connections", victims.Count, count);
        return victims.Count;
    }
}
