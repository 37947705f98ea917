using System.Net;
using System.Runtime.CompilerServices;
using k8s.Models;
using WsPool.Testing;

namespace WsPool.Operator.Tests.Scaling;

/// <summary>
/// Real chat-server processes playing a pool's pods: one per loopback address (127.0.0.2, .3, ...), all on the same
/// WebSocket port and the same admin port, like pods with their own IPs. Builds the V1Pod objects the ReplicaSet would
/// have made for them. Disposing stops every process and client.
/// </summary>
internal sealed class ChatPool : IAsyncDisposable
{
    private readonly List<WebSocketTestClient> _clients = [];

    private ChatPool(List<ChatServerProcess> servers, int port, int adminPort)
    {
        Servers = servers;
        Port = port;
        AdminPort = adminPort;
    }

    public List<ChatServerProcess> Servers { get; }
    public int Port { get; }
    public int AdminPort { get; }

    public static async Task<ChatPool> StartAsync(int count, int firstAddress = 2)
    {
        var addresses = Enumerable.Range(firstAddress, count).Select(i => IPAddress.Parse($"127.0.0.{i}")).ToList();
        var port = FreePort.NextOnAll(addresses);
        var adminPort = FreePort.NextOnAll(addresses);
        while (adminPort == port) adminPort = FreePort.NextOnAll(addresses);
        var servers = new List<ChatServerProcess>();
        try
        {
            var starts = addresses.Select((a, i) => ChatServerProcess.StartAsync(new ChatServerOptions
            {
                Address = a.ToString(), Port = port, AdminPort = adminPort, ReplicaName = $"pod-{i}",
            })).ToList();
            Exception? failure = null;
            foreach (var start in starts)
            {
                // Await every start, so none is left running when another fails.
                try { servers.Add(await start); }
                catch (Exception e) { failure ??= e; }
            }
            if (failure is not null) throw failure;
            return new ChatPool(servers, port, adminPort);
        }
        catch
        {
            foreach (var s in servers) await s.DisposeAsync();
            throw;
        }
    }

    /// <summary>Opens <paramref name="count"/> WebSocket connections to a server and waits until its gauge shows them.</summary>
    public async Task<List<WebSocketTestClient>> ConnectAsync(int server, int count)
    {
        var opened = new List<WebSocketTestClient>();
        for (var i = 0; i < count; i++)
        {
            var client = await WebSocketTestClient.ConnectAsync(Servers[server].WebSocketUri);
            _clients.Add(client);
            opened.Add(client);
        }
        await WaitForConnectionsAsync(server, c => c >= opened.Count);
        return opened;
    }

    public Task WaitForConnectionsAsync(int server, Func<double, bool> condition,
        [CallerArgumentExpression(nameof(condition))] string conditionText = "") =>
        Servers[server].WaitForMetricAsync("websocket_connections", condition, TimeSpan.FromSeconds(15), conditionText);

    /// <summary>
    /// Waits until at least <paramref name="count"/> of the clients have seen their connection close and returns the
    /// closed ones: a server counts a connection gone on its side before each client's receive loop learns of it.
    /// </summary>
    public Task<List<WebSocketTestClient>> ClosedAsync(IReadOnlyCollection<WebSocketTestClient> clients, int count) =>
        Eventually.ValueAsync(() => clients.Where(c => c.Closed.IsCompleted).ToList(), closed => closed.Count >= count,
            $"{count} of {clients.Count} clients to see their close", TimeSpan.FromSeconds(15), closed => $"{closed.Count} closed");

    public async Task CloseAsync(IEnumerable<WebSocketTestClient> clients)
    {
        foreach (var client in clients) await client.DisposeAsync();
    }

    /// <summary>The pod object of server <paramref name="i"/>: Ready, its IP, a named container port.</summary>
    public V1Pod Pod(int i, bool ready = true) => MakePod($"pod-{i}", Servers[i].Address, ready, Port);

    public List<V1Pod> Pods() => Servers.Select((_, i) => Pod(i)).ToList();

    public static V1Pod MakePod(string name, string ip, bool ready, int port, DateTime? created = null, DateTime? readyAt = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default", CreationTimestamp = created ?? DateTime.UtcNow.AddMinutes(-5) },
        Spec = new V1PodSpec
        {
            Containers = [new V1Container { Name = "app", Ports = [new V1ContainerPort { Name = "ws", ContainerPort = port }] }],
        },
        Status = new V1PodStatus
        {
            PodIP = ip,
            Conditions = [new V1PodCondition { Type = "Ready", Status = ready ? "True" : "False", LastTransitionTime = readyAt ?? DateTime.UtcNow.AddMinutes(-4) }],
        },
    };

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients)
        {
            try { await client.DisposeAsync(); } catch { /* already closed by the server */ }
        }
        foreach (var server in Servers) await server.DisposeAsync();
    }
}
