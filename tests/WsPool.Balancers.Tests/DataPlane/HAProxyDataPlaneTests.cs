using System.Diagnostics;
using System.Net;
using System.Net.WebSockets;
using WsPool.Balancers.Tests.Support;
using WsPool.Core.Api;
using WsPool.Core.Rendering;
using WsPool.Testing;

namespace WsPool.Balancers.Tests.DataPlane;

[CollectionDefinition("DataPlane", DisableParallelization = true)]
public sealed class DataPlaneCollection : ICollectionFixture<PodsFixture>;

/// <summary>Three chat-server pods and dnsmasq, shared by the data-plane tests (each test restores them).</summary>
public sealed class PodsFixture : IAsyncLifetime
{
    public PodBackends Backends { get; private set; } = null!;
    public ClusterDns Dns { get; private set; } = null!;
    public string Fqdn { get; } = PoolNames.Of(Repo.Pool()).HeadlessServiceFqdn;

    public async Task InitializeAsync()
    {
        Backends = await PodBackends.StartAsync(3);
        Dns = await ClusterDns.StartAsync(Fqdn, Backends.Addresses);
    }

    /// <summary>Back to exactly 127.0.0.2-4 after a test that added or killed a pod.</summary>
    public async Task ResetAsync()
    {
        string[] wanted = ["127.0.0.2", "127.0.0.3", "127.0.0.4"];
        for (var i = Backends.Servers.Count - 1; i >= 0; i--)
            if (!wanted.Contains(Backends.Servers[i].Address)) await Backends.KillAsync(i);
        foreach (var address in wanted.Except(Backends.Addresses).ToList()) await Backends.AddAsync(address);
        Dns.SetAddresses(Backends.Addresses);
    }

    public async Task DisposeAsync()
    {
        await Dns.DisposeAsync();
        await Backends.DisposeAsync();
    }
}

/// <summary>
/// Real HAProxy running the generated config in front of three chat-server "pods" on 127.0.0.2-4, discovering them
/// through dnsmasq as the headless Service's name, with real WebSocket clients.
/// </summary>
[Collection("DataPlane")]
public sealed class HAProxyDataPlaneTests(PodsFixture pods) : IAsyncLifetime
{
    private readonly PodBackends _backends = pods.Backends;
    private readonly ClusterDns _dns = pods.Dns;
    private BalancerProcess? _haproxy;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_haproxy is not null) await _haproxy.DisposeAsync();
        await pods.ResetAsync();
    }

    private async Task<BalancerProcess> StartAsync(Action<WebSocketPoolSpec>? configure = null)
    {
        var pool = Repo.Pool(s =>
        {
            s.Port = _backends.Port;
            s.MaxReplicas = 6;
            s.HealthCheck = new HealthCheckSpec { Path = "/readyz", Interval = "500ms", Fall = 2, Rise = 1 };
            configure?.Invoke(s);
        });
        _haproxy = await BalancerProcess.StartHAProxyAsync(pool, _dns.Address);
        await _haproxy.WaitForUpServersAsync(_backends.Addresses);
        return _haproxy;
    }

    [Fact]
    public async Task A_websocket_upgrades_through_haproxy_and_echoes()
    {
        var haproxy = await StartAsync();
        var (client, replica) = await Clients.ConnectAsync(haproxy.WebSocketUri);
        await using (client)
        {
            _backends.Addresses.Should().Contain(replica);
            await client.SendAsync("/echo hello through haproxy");
            (await client.NextMessageAsync()).Should().Be("/echo hello through haproxy");
        }
    }

    [Fact]
    public async Task Paths_other_than_the_websocket_path_are_refused_with_404()
    {
        var haproxy = await StartAsync();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        using var response = await http.GetAsync(new Uri(haproxy.HttpUri, "admin"));
        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_reconnect_with_the_affinity_cookie_lands_on_the_same_backend()
    {
        var haproxy = await StartAsync(s => { s.Affinity.Type = AffinityType.Cookie; s.Affinity.Cookie = new CookieAffinitySpec { Name = "SRV" }; });
        await haproxy.WaitForSlowStartToEndAsync();
        using var first = new ClientWebSocket();
        first.Options.CollectHttpResponseDetails = true;
        using (var cts = new CancellationTokenSource(TimeSpan.FromSeconds(15))) await first.ConnectAsync(haproxy.WebSocketUri, cts.Token);
        var setCookie = first.HttpResponseHeaders!["Set-Cookie"].Single();
        setCookie.Should().StartWith("SRV=").And.Contain("HttpOnly").And.Contain("SameSite=Lax");
        var cookie = setCookie.Split(';')[0];

        // The first connection stays open, so least-connections alone would send a new client elsewhere.
        var (pinned, replica) = await Clients.ConnectAsync(haproxy.WebSocketUri, o => o.SetRequestHeader("Cookie", cookie));
        await using (pinned)
        {
            for (var i = 0; i < 10; i++)
                (await Clients.ReplicaAsync(haproxy.WebSocketUri, o => o.SetRequestHeader("Cookie", cookie))).Should().Be(replica);
        }
        // Held open, so least-connections sees each of them: clients that come and go one after another may all
        // find the backend without `first` emptiest and land there.
        var withoutCookie = new List<(WebSocketTestClient Client, string Replica)>();
        try
        {
            for (var i = 0; i < 6; i++) withoutCookie.Add(await Clients.ConnectAsync(haproxy.WebSocketUri));
            withoutCookie.Select(c => c.Replica).Distinct().Should().HaveCountGreaterThan(1, "without the cookie, clients are spread");
        }
        finally
        {
            foreach (var (client, _) in withoutCookie) await client.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_client_shed_from_its_cookie_pod_reconnects_once_onto_another_pod_and_its_new_cookie_keeps_it_there()
    {
        var haproxy = await StartAsync(s => { s.Affinity.Type = AffinityType.Cookie; s.Affinity.Cookie = new CookieAffinitySpec { Name = "SRV" }; });
        await haproxy.WaitForSlowStartToEndAsync();
        // Six clients pinned to one pod by its cookie, as the clients of a pool before a scale-out.
        var (first, hot, firstCookie) = await Clients.ConnectWithCookieAsync(haproxy.WebSocketUri);
        var cookie = firstCookie!.Split(';')[0];
        var pinned = new List<WebSocketTestClient> { first };
        var moved = new List<(WebSocketTestClient Client, string Replica, string? SetCookie)>();
        try
        {
            for (var i = 0; i < 5; i++)
            {
                var (client, replica, _) = await Clients.ConnectWithCookieAsync(haproxy.WebSocketUri, cookie);
                pinned.Add(client);
                replica.Should().Be(hot, "the cookie pins every client to one pod");
            }
            var hotPod = _backends.Servers.Single(s => s.Address == hot);

            (await hotPod.ShedAsync(3)).Should().Be(3);
            var shed = await Eventually.ValueAsync(() => pinned.Where(c => c.Closed.IsCompleted).ToList(), c => c.Count == 3,
                "the 3 shed clients to see their close", TimeSpan.FromSeconds(10), c => $"{c.Count} closed");
            // Each reconnects once, as a browser does: with the cookie that names the hot pod.
            foreach (var _ in shed) moved.Add(await Clients.ConnectWithCookieAsync(haproxy.WebSocketUri, cookie));

            moved.Should().OnlyContain(m => m.Replica != hot, "the hot pod refuses the upgrade with 503 during its hold and HAProxy retries it on another pod");
            moved.Should().OnlyContain(m => m.SetCookie != null && m.SetCookie.Split(';')[0] != cookie, "the pod that took it sets its own cookie");
            foreach (var m in moved)
                (await Clients.ReplicaAsync(haproxy.WebSocketUri, o => o.SetRequestHeader("Cookie", m.SetCookie!.Split(';')[0])))
                    .Should().Be(m.Replica, "the new cookie keeps the client on its new pod");
            // The first refusal also marks the hot pod down in HAProxy (observe layer7, error-limit 1) until its next
            // passing health check, so the later reconnects skip it without being refused; its open clients stay.
            (await hotPod.MetricAsync("websocket_upgrades_rejected_total{reason=\"shed\"}")).Should().BeGreaterThanOrEqualTo(1);
            pinned.Except(shed).Should().OnlyContain(c => !c.Closed.IsCompleted, "a pod marked down keeps its established WebSockets");
        }
        finally
        {
            foreach (var client in pinned.Concat(moved.Select(m => m.Client))) await client.DisposeAsync();
            // A fresh pod in its place (ResetAsync): the shed's hold must not reach into the next test.
            var index = _backends.Servers.ToList().FindIndex(s => s.Address == hot);
            if (index >= 0) await _backends.KillAsync(index);
        }
    }

    [Fact]
    public async Task Client_ip_affinity_keeps_an_address_on_one_backend_and_spreads_many_addresses_over_all()
    {
        var haproxy = await StartAsync(s => s.Affinity.Type = AffinityType.ClientIP);
        var same = new HashSet<string>();
        for (var i = 0; i < 100; i++) same.Add(await Clients.ReplicaFromAsync(haproxy.WebSocketUri, IPAddress.Parse("127.0.1.7")));
        same.Should().ContainSingle();
        var spread = new HashSet<string>();
        for (var i = 1; i <= 60; i++) spread.Add(await Clients.ReplicaFromAsync(haproxy.WebSocketUri, IPAddress.Parse($"127.0.2.{i}")));
        spread.Should().BeEquivalentTo(_backends.Addresses);
    }

    [Fact]
    public async Task Header_affinity_keeps_a_key_on_one_backend_and_spreads_many_keys_over_all()
    {
        var haproxy = await StartAsync(s => { s.Affinity.Type = AffinityType.Header; s.Affinity.Header = new NamedKeySpec { Name = "X-Room" }; });
        await AssertKeyAffinity(key => Clients.ReplicaAsync(haproxy.WebSocketUri, o => o.SetRequestHeader("X-Room", key)));
    }

    [Fact]
    public async Task Query_param_affinity_keeps_a_key_on_one_backend_and_spreads_many_keys_over_all()
    {
        var haproxy = await StartAsync(s => { s.Affinity.Type = AffinityType.QueryParam; s.Affinity.QueryParam = new NamedKeySpec { Name = "room" }; });
        await AssertKeyAffinity(key => Clients.ReplicaAsync(new Uri(haproxy.WebSocketUri + "?room=" + key)));
    }

    private async Task AssertKeyAffinity(Func<string, Task<string>> replicaFor)
    {
        var same = new HashSet<string>();
        for (var i = 0; i < 100; i++) same.Add(await replicaFor("lobby-42"));
        same.Should().ContainSingle();
        var spread = new HashSet<string>();
        for (var i = 0; i < 60; i++) spread.Add(await replicaFor($"room-{i}"));
        spread.Should().BeEquivalentTo(_backends.Addresses);
    }

    [Fact]
    public async Task Least_connections_spreads_held_connections_evenly()
    {
        var haproxy = await StartAsync();
        await haproxy.WaitForSlowStartToEndAsync();
        var held = new List<WebSocketTestClient>();
        try
        {
            var replicas = new List<string>();
            for (var i = 0; i < 30; i++)
            {
                var (client, replica) = await Clients.ConnectAsync(haproxy.WebSocketUri);
                held.Add(client);
                replicas.Add(replica);
            }
            var counts = replicas.GroupBy(r => r).Select(g => g.Count()).ToList();
            counts.Should().HaveCount(3);
            (counts.Max() - counts.Min()).Should().BeLessThanOrEqualTo(1, $"counts were {string.Join(",", counts)}");
        }
        finally
        {
            foreach (var client in held) await client.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_backend_added_to_dns_gets_new_connections_without_a_reload_or_a_dropped_connection()
    {
        var haproxy = await StartAsync();
        var configBefore = haproxy.Config;
        var held = new List<(WebSocketTestClient Client, string Replica)>();
        try
        {
            for (var i = 0; i < 9; i++) held.Add(await Clients.ConnectAsync(haproxy.WebSocketUri));

            var added = await _backends.AddAsync("127.0.0.5");
            _dns.SetAddresses(_backends.Addresses);
            await haproxy.WaitForUpServersAsync(_backends.Addresses);

            var reachedNew = false;
            for (var i = 0; i < 40 && !reachedNew; i++)
            {
                var connection = await Clients.ConnectAsync(haproxy.WebSocketUri);
                held.Add(connection);
                reachedNew = connection.Replica == added.Address;
            }
            reachedNew.Should().BeTrue("the new pod must receive new connections");
            foreach (var (client, replica) in held.Take(9))
                (await client.WhoAmIAsync()).GetProperty("replica").GetString().Should().Be(replica, "no open connection may be dropped");
            haproxy.Process.HasExited.Should().BeFalse();
            haproxy.Config.Should().Be(configBefore);
        }
        finally
        {
            foreach (var (client, _) in held) await client.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_killed_backend_leaves_rotation_through_the_health_check()
    {
        var haproxy = await StartAsync();
        var victim = await _backends.KillAsync(1);
        // DNS still lists the dead pod: only the health check can take it out.
        await haproxy.WaitForUpServersAsync(_backends.Addresses, TimeSpan.FromSeconds(20));
        for (var i = 0; i < 20; i++)
            (await Clients.ReplicaAsync(haproxy.WebSocketUri)).Should().NotBe(victim.Address);
    }

    [Fact]
    public async Task An_idle_websocket_is_closed_at_the_tunnel_timeout_and_not_before_while_an_active_one_stays_open()
    {
        var haproxy = await StartAsync(s => s.Timeouts.Tunnel = "3s");
        var (idle, _) = await Clients.ConnectAsync(haproxy.WebSocketUri);
        var lastIdleTraffic = Stopwatch.GetTimestamp(); // the whoami answer: the idle connection's last byte
        var (active, _) = await Clients.ConnectAsync(haproxy.WebSocketUri);
        await using (idle)
        await using (active)
        {
            using var stop = new CancellationTokenSource();
            var keepBusy = Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    await active.SendAsync("/echo tick");
                    await active.WaitForMessageAsync(m => m == "/echo tick");
                    await Task.Delay(250); // paces the active connection's traffic, asserts nothing
                }
            });

            var closed = await idle.WaitForCloseAsync(TimeSpan.FromSeconds(30));
            // Compared with events, not a deadline: the close came no earlier than the tunnel timeout after the
            // idle connection's last traffic (a busy machine can only make it later) ...
            Stopwatch.GetElapsedTime(lastIdleTraffic, closed.Timestamp).Should().BeGreaterThan(TimeSpan.FromSeconds(2.5));
            // ... and the connection with traffic outlived it.
            active.Closed.IsCompleted.Should().BeFalse("traffic keeps a WebSocket open past the tunnel timeout");
            await stop.CancelAsync();
            await keepBusy;
            (await active.WhoAmIAsync()).ValueKind.Should().Be(System.Text.Json.JsonValueKind.Object);
        }
    }

    [Fact]
    public async Task Beyond_the_per_backend_limit_a_client_queues_and_then_gets_503()
    {
        // ClientIP from one address: every connection hashes to the same backend, whose limit is 2.
        var haproxy = await StartAsync(s =>
        {
            s.Affinity.Type = AffinityType.ClientIP;
            s.Connections = new ConnectionsSpec { Target = 2, Limit = 2 };
            s.Timeouts.Queue = "1s";
        });
        var (a, replicaA) = await Clients.ConnectAsync(haproxy.WebSocketUri);
        var (b, replicaB) = await Clients.ConnectAsync(haproxy.WebSocketUri);
        await using (a)
        await using (b)
        {
            replicaB.Should().Be(replicaA);
            var (status, _) = await WebSocketTestClient.ConnectExpectingRefusalAsync(haproxy.WebSocketUri, TimeSpan.FromSeconds(15));
            status.Should().Be(503);
        }
        // A freed slot is usable again.
        (await Clients.ReplicaAsync(haproxy.WebSocketUri)).Should().Be(replicaA);
    }
}
