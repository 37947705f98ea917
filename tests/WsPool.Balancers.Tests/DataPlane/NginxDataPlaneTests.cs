using WsPool.Balancers.Tests.Support;
using WsPool.Core.Api;
using WsPool.Testing;

namespace WsPool.Balancers.Tests.DataPlane;

/// <summary>Real NGINX running the generated config, its upstream servers given as ready endpoints (RenderOptions.Backends).</summary>
[Collection("DataPlane")]
public sealed class NginxDataPlaneTests(PodsFixture pods) : IAsyncLifetime
{
    private BalancerProcess? _nginx;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_nginx is not null) await _nginx.DisposeAsync();
        await pods.ResetAsync();
    }

    private async Task<BalancerProcess> StartAsync(IReadOnlyList<string> backends, Action<WebSocketPoolSpec>? configure = null)
    {
        var pool = Repo.Pool(s =>
        {
            s.Port = pods.Backends.Port;
            s.Balancer.Type = BalancerType.Nginx;
            configure?.Invoke(s);
        });
        _nginx = await BalancerProcess.StartNginxAsync(pool, backends);
        return _nginx;
    }

    [Fact]
    public async Task A_websocket_upgrades_through_nginx_and_echoes()
    {
        var nginx = await StartAsync(pods.Backends.Endpoints.ToList());
        var (client, replica) = await Clients.ConnectAsync(nginx.WebSocketUri);
        await using (client)
        {
            pods.Backends.Addresses.Should().Contain(replica);
            await client.SendAsync("/echo hello through nginx");
            (await client.NextMessageAsync()).Should().Be("/echo hello through nginx");
        }
    }

    [Fact]
    public async Task Header_affinity_through_nginx_keeps_a_key_on_one_backend_and_spreads_many_keys()
    {
        var nginx = await StartAsync(pods.Backends.Endpoints.ToList(),
            s => { s.Affinity.Type = AffinityType.Header; s.Affinity.Header = new NamedKeySpec { Name = "X-Room" }; });
        var same = new HashSet<string>();
        for (var i = 0; i < 100; i++) same.Add(await Clients.ReplicaAsync(nginx.WebSocketUri, o => o.SetRequestHeader("X-Room", "lobby-42")));
        same.Should().ContainSingle();
        var spread = new HashSet<string>();
        for (var i = 0; i < 60; i++) spread.Add(await Clients.ReplicaAsync(nginx.WebSocketUri, o => o.SetRequestHeader("X-Room", $"room-{i}")));
        spread.Should().BeEquivalentTo(pods.Backends.Addresses);
    }

    [Fact]
    public async Task A_reload_with_new_endpoints_keeps_open_connections_and_sends_new_ones_to_the_new_pod()
    {
        var first = pods.Backends.Endpoints.Take(2).ToList();
        var nginx = await StartAsync(first);
        var held = new List<(WebSocketTestClient Client, string Replica)>();
        try
        {
            for (var i = 0; i < 6; i++) held.Add(await Clients.ConnectAsync(nginx.WebSocketUri));
            var third = pods.Backends.Servers[2].Address;
            held.Select(h => h.Replica).Should().NotContain(third);

            nginx.ReloadNginx(pods.Backends.Endpoints.ToList());

            // After the reload (a signal NGINX handles in its own time) the new pod receives connections.
            await Clients.ConnectUntilAsync(nginx.WebSocketUri, third, held, TimeSpan.FromSeconds(30));
            foreach (var (client, replica) in held.Take(6))
                (await client.WhoAmIAsync()).GetProperty("replica").GetString().Should().Be(replica, "a reload must not drop open WebSockets");
        }
        finally
        {
            foreach (var (client, _) in held) await client.DisposeAsync();
        }
    }
}
