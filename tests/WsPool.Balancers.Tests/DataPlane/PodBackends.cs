using System.Net;
using WsPool.Testing;

namespace WsPool.Balancers.Tests.DataPlane;

/// <summary>
/// Chat-server replicas on 127.0.0.2, 127.0.0.3, ... all on the same port, like pods with their own IPs. Each
/// replica's name is its address, so /whoami tells a test which "pod" a connection reached.
/// </summary>
public sealed class PodBackends : IAsyncDisposable
{
    private readonly List<ChatServerProcess> _servers = [];

    private PodBackends(int port) => Port = port;

    public int Port { get; }
    public IReadOnlyList<ChatServerProcess> Servers => _servers;
    public IEnumerable<string> Addresses => _servers.Select(s => s.Address);
    public IEnumerable<string> Endpoints => Addresses.Select(a => $"{a}:{Port}");

    /// <summary>Starts <paramref name="count"/> replicas on 127.0.0.2 onwards; the port is free on a few more addresses for later.</summary>
    public static async Task<PodBackends> StartAsync(int count)
    {
        var port = FreePort.NextOnAll(Enumerable.Range(2, count + 2).Select(i => IPAddress.Parse($"127.0.0.{i}")));
        var backends = new PodBackends(port);
        try
        {
            await Task.WhenAll(Enumerable.Range(2, count).Select(i => backends.AddAsync($"127.0.0.{i}")));
            return backends;
        }
        catch
        {
            await backends.DisposeAsync();
            throw;
        }
    }

    public async Task<ChatServerProcess> AddAsync(string address)
    {
        var server = await ChatServerProcess.StartAsync(new ChatServerOptions
        {
            Address = address,
            Port = Port,
            ReplicaName = address,
            // The server's own pings would count as traffic and hide the balancer's tunnel timeout.
            KeepAliveInterval = TimeSpan.FromMinutes(30),
            KeepAliveTimeout = TimeSpan.FromMinutes(30),
        });
        lock (_servers) _servers.Add(server);
        return server;
    }

    /// <summary>Kills a replica (as a crashed pod) and forgets it; DNS is up to the caller.</summary>
    public async Task<ChatServerProcess> KillAsync(int index)
    {
        var server = _servers[index];
        _servers.RemoveAt(index);
        await server.DisposeAsync();
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var server in _servers) await server.DisposeAsync();
    }
}
