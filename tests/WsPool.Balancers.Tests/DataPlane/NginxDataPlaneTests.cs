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
    public async Task Query_param_affinity_through_nginx_keeps_a_key_on_one_backend_and_spreads_many_keys()
    {
        var nginx = await StartAsync(pods.Backends.Endpoints.ToList(),
            s => { s.Affinity.Type = AffinityType.QueryParam; s.Affinity.QueryParam = new NamedKeySpec { Name = "room" }; });
        var same = new HashSet<string>();
        for (var i = 0; i < 100; i++) same.Add(await Clients.ReplicaAsync(new Uri(nginx.WebSocketUri + "?room=lobby-42")));
        same.Should().ContainSingle();
        var spread = new HashSet<string>();
        for (var i = 0; i < 60; i++) spread.Add(await Clients.ReplicaAsync(new Uri(nginx.WebSocketUri + $"?room=room-{i}")));
        spread.Should().BeEquivalentTo(pods.Backends.Addresses);
    }

    [Fact]
    public async Task Client_ip_affinity_through_nginx_keeps_an_address_on_one_backend_and_spreads_many_addresses()
    {
        var nginx = await StartAsync(pods.Backends.Endpoints.ToList(), s => s.Affinity.Type = AffinityType.ClientIP);
        var same = new HashSet<string>();
        for (var i = 0; i < 100; i++) same.Add(await Clients.ReplicaFromAsync(nginx.WebSocketUri, System.Net.IPAddress.Parse("127.0.1.7")));
        same.Should().ContainSingle();
        var spread = new HashSet<string>();
        for (var i = 1; i <= 60; i++) spread.Add(await Clients.ReplicaFromAsync(nginx.WebSocketUri, System.Net.IPAddress.Parse($"127.0.2.{i}")));
        spread.Should().BeEquivalentTo(pods.Backends.Addresses);
    }

    private static void Cookie(WebSocketPoolSpec s)
    {
        s.Affinity.Type = AffinityType.Cookie;
        s.Affinity.Cookie = new CookieAffinitySpec { Name = "SRV", MaxAge = "1h" };
    }

    /// <summary>
    /// Clients that arrive without a cookie, each kept open (and added to <paramref name="held"/>): the cookie each was
    /// given and its pod.
    /// </summary>
    private static async Task<List<(WebSocketTestClient Client, string Cookie, string Replica)>> ArriveAsync(Uri uri, int clients, List<WebSocketTestClient> held)
    {
        var arrived = new List<(WebSocketTestClient Client, string Cookie, string Replica)>();
        for (var i = 0; i < clients; i++)
        {
            var (client, replica, setCookie) = await Clients.ConnectWithCookieAsync(uri);
            held.Add(client);
            arrived.Add((client, setCookie?.Split(';')[0] ?? "", replica));
            setCookie.Should().NotBeNull("sticky cookie sets the cookie on the upgrade response");
            setCookie.Should().StartWith("SRV=").And.ContainEquivalentOf("path=/ws").And.ContainEquivalentOf("httponly")
                .And.ContainEquivalentOf("samesite=lax").And.ContainEquivalentOf("expires=");
        }
        return arrived;
    }

    [Fact]
    public async Task Sticky_cookie_brings_every_returning_client_back_to_its_pod_though_least_conn_would_send_it_elsewhere()
    {
        var nginx = await StartAsync(pods.Backends.Endpoints.ToList(), Cookie);
        nginx.Config.Should().Contain("sticky cookie SRV");
        var held = new List<WebSocketTestClient>();
        try
        {
            // Six browsers arrive without a cookie and stay connected: least_conn spreads them, two per pod, and each
            // gets the cookie of its pod.
            var arrived = await ArriveAsync(nginx.WebSocketUri, 6, held);
            arrived.Select(a => a.Replica).Distinct().Should().BeEquivalentTo(pods.Backends.Addresses);
            arrived.GroupBy(a => a.Cookie).Should().HaveCount(3).And.OnlyContain(g => g.Select(a => a.Replica).Distinct().Count() == 1,
                "one cookie value per pod");

            // Each comes back three times with its cookie, keeping every connection open: its pod soon holds far more
            // connections than the others, so least_conn alone would send it elsewhere. The cookie wins every time.
            foreach (var (_, cookie, replica) in arrived)
                for (var i = 0; i < 3; i++)
                {
                    var (client, again, setCookie) = await Clients.ConnectWithCookieAsync(nginx.WebSocketUri, cookie);
                    held.Add(client);
                    again.Should().Be(replica, $"the client with {cookie} must return to {replica}");
                    (setCookie?.Split(';')[0] ?? cookie).Should().Be(cookie, "a returning client keeps its cookie");
                }
            // Every pod now holds five: three new clients without a cookie are spread by least_conn again.
            var fresh = await ArriveAsync(nginx.WebSocketUri, 3, held);
            fresh.Select(a => a.Replica).Should().OnlyHaveUniqueItems();
            foreach (var client in held.Take(6))
                (await client.WhoAmIAsync()).ValueKind.Should().Be(System.Text.Json.JsonValueKind.Object, "held connections stay open");
        }
        finally
        {
            foreach (var client in held) await client.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_sticky_cookie_holds_across_a_reload_that_adds_a_pod_and_on_a_second_nginx_replica()
    {
        var nginx = await StartAsync(pods.Backends.Endpoints.ToList(), Cookie);
        var held = new List<WebSocketTestClient>();
        BalancerProcess? second = null;
        try
        {
            var arrived = await ArriveAsync(nginx.WebSocketUri, 3, held);

            // Scale-out: a fourth pod, and the operator's re-rendered upstream reloaded in place.
            var added = await pods.Backends.AddAsync("127.0.0.5");
            nginx.ReloadNginx(pods.Backends.Endpoints.ToList());
            var reachedNew = false;
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
            while (!reachedNew && DateTime.UtcNow < deadline)
            {
                var (client, replica) = await Clients.ConnectAsync(nginx.WebSocketUri);
                held.Add(client);
                reachedNew = replica == added.Address;
            }
            reachedNew.Should().BeTrue("after the reload new clients reach the added pod");

            // The cookie is derived from the pod's address, not from the upstream's order or size: the same cookie
            // still leads to the same pod after the reload ...
            foreach (var (_, cookie, replica) in arrived)
                for (var i = 0; i < 3; i++)
                    (await ReplicaWithCookieAsync(nginx.WebSocketUri, cookie)).Should().Be(replica, $"{cookie} after the reload");
            // ... and on another balancer replica (the Service spreads clients over them) that lists the pods in
            // another order.
            second = await BalancerProcess.StartNginxAsync(nginx.Pool, pods.Backends.Endpoints.Reverse().ToList());
            foreach (var (_, cookie, replica) in arrived)
                (await ReplicaWithCookieAsync(second.WebSocketUri, cookie)).Should().Be(replica, $"{cookie} on the second replica");
            foreach (var (client, _, replica) in arrived)
                (await client.WhoAmIAsync()).GetProperty("replica").GetString().Should().Be(replica, "a reload drops no open WebSocket");
        }
        finally
        {
            foreach (var client in held) await client.DisposeAsync();
            if (second is not null) await second.DisposeAsync();
        }
    }

    private static async Task<string> ReplicaWithCookieAsync(Uri uri, string cookie)
    {
        var (client, replica, _) = await Clients.ConnectWithCookieAsync(uri, cookie);
        await using (client) await client.CloseAsync();
        return replica;
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
