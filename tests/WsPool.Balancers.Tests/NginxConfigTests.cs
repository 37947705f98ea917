using WsPool.Balancers.Tests.Support;
using WsPool.Core.Api;
using WsPool.Core.Balancers;
using WsPool.Core.Rendering;
using static WsPool.Balancers.Tests.Support.NginxConfigParser;

namespace WsPool.Balancers.Tests;

/// <summary>What the generated nginx.conf says, read back with an NGINX-faithful parser.</summary>
public class NginxConfigTests
{
    private static readonly string[] Backends = ["127.0.0.2:8080", "127.0.0.3:8080"];

    private static Directive Render(Action<WebSocketPoolSpec>? configure = null, IReadOnlyList<string>? backends = null) =>
        Parse(BalancerKinds.Render(Repo.Pool(s => { s.Balancer.Type = BalancerType.Nginx; configure?.Invoke(s); }),
            new RenderOptions { Backends = backends ?? Backends }).ConfigFiles[BalancerPaths.NginxConfigFile]);

    private static Directive Upstream(Directive root, string block = "http") =>
        root.Find(block).Single().Find("upstream").Single();

    private static Directive ClientServer(Directive root) =>
        root.Find("http").Single().Find("server").First(s => s.Find("listen").Single().Args[0] != "8404");

    [Fact]
    public void Upgrades_are_proxied_with_http_1_1_and_the_connection_upgrade_map()
    {
        var root = Render();
        var map = root.Find("http").Single().Find("map").Single();
        map.Args.Should().Equal("$http_upgrade", "$connection_upgrade");
        map.Block!.Select(d => (d.Name, string.Join(' ', d.Args))).Should().Equal(("default", "upgrade"), ("", "close"));
        var server = ClientServer(root);
        server.Find("proxy_http_version").Single().Args.Should().Equal("1.1");
        server.Find("proxy_set_header").Select(d => string.Join(' ', d.Args)).Should().Contain(["Upgrade $http_upgrade", "Connection $connection_upgrade"]);
    }

    [Fact]
    public void The_tunnel_timeout_sets_proxy_read_and_send_timeouts()
    {
        var server = ClientServer(Render(s => s.Timeouts.Tunnel = "45m"));
        server.Find("proxy_read_timeout").Single().Args.Should().Equal("45m");
        server.Find("proxy_send_timeout").Single().Args.Should().Equal("45m");
    }

    [Theory]
    [InlineData(AffinityType.None, "least_conn")]
    [InlineData(AffinityType.ClientIP, "hash $remote_addr consistent")]
    [InlineData(AffinityType.Header, "hash $http_x_room_id consistent")]
    [InlineData(AffinityType.QueryParam, "hash $arg_room consistent")]
    public void Balancing_follows_the_affinity(AffinityType type, string expected)
    {
        var upstream = Upstream(Render(s =>
        {
            s.Affinity.Type = type;
            if (type == AffinityType.Header) s.Affinity.Header = new NamedKeySpec { Name = "X-Room-Id" };
            if (type == AffinityType.QueryParam) s.Affinity.QueryParam = new NamedKeySpec { Name = "room" };
        }));
        upstream.Block!.Where(d => d.Name is "least_conn" or "hash").Select(d => string.Join(' ', new[] { d.Name }.Concat(d.Args)))
            .Should().Equal(expected);
    }

    [Fact]
    public void Cookie_affinity_uses_sticky_cookie_with_the_spec_attributes()
    {
        var upstream = Upstream(Render(s =>
        {
            s.Affinity.Type = AffinityType.Cookie;
            s.Affinity.Cookie = new CookieAffinitySpec { Name = "SRV", MaxAge = "12h", Secure = true, SameSite = SameSiteMode.Strict };
        }));
        upstream.Find("sticky").Single().Args.Should().Equal("cookie", "SRV", "expires=12h", "path=/ws", "httponly", "secure", "samesite=strict");
    }

    [Fact]
    public void Upstream_servers_are_the_given_backends_each_capped_at_the_connection_limit()
    {
        var upstream = Upstream(Render(s => s.Connections.Limit = 2500));
        upstream.Find("server").Select(d => d.Args[0]).Should().Equal(Backends);
        upstream.Find("server").Should().OnlyContain(d => d.Args.Contains("max_conns=2500"));
        upstream.Find("zone").Should().ContainSingle("max_conns must hold across workers");
    }

    [Fact]
    public void Without_ready_backends_a_documented_down_placeholder_stands_in()
    {
        var upstream = Upstream(Render(backends: []));
        upstream.Find("server").Single().Args.Should().Equal(NginxConfigBuilder.PlaceholderServer, "down");
    }

    [Fact]
    public void A_backend_that_is_not_ip_and_port_is_refused()
    {
        var act = () => Render(backends: ["10.0.0.1:80; include /etc/passwd"]);
        act.Should().Throw<ArgumentException>();
    }

    [Fact]
    public void Stub_status_is_on_the_internal_port_and_worker_shutdown_timeout_covers_the_drain()
    {
        var root = Render(s => s.Drain = new DrainSpec { Timeout = "90s", PreStopDelay = "5s" });
        root.Find("worker_shutdown_timeout").Single().Args.Should().Equal("95s");
        var status = root.Find("http").Single().Find("server").Single(s => s.Find("listen").Single().Args[0] == "8404");
        status.All().Should().Contain(d => d.Name == "stub_status");
    }

    [Theory]
    [InlineData(2000, 10)]
    [InlineData(50_000, 100)]
    [InlineData(1, 1)]
    public void Each_worker_may_open_a_file_for_every_connection_it_is_allowed(int limit, int maxReplicas)
    {
        // Without worker_rlimit_nofile a worker keeps the container's soft limit (1024 under containerd 2) and
        // nginx -t warns that worker_connections exceed it.
        var root = Render(s => { s.Connections = new ConnectionsSpec { Target = limit, Limit = limit }; s.MaxReplicas = maxReplicas; });
        var connections = int.Parse(root.Find("events").Single().Find("worker_connections").Single().Args[0]);
        var files = int.Parse(root.Find("worker_rlimit_nofile").Single().Args[0]);
        files.Should().Be(connections + NginxConfigBuilder.SpareFiles);
    }

    [Fact]
    public void Layer_4_proxies_tcp_in_a_stream_block_with_the_tunnel_timeout()
    {
        var root = Render(s => { s.Balancer.Layer = BalancerLayer.L4; s.Affinity.Type = AffinityType.ClientIP; s.Timeouts.Tunnel = "20m"; });
        var stream = root.Find("stream").Single();
        Upstream(root, "stream").Find("hash").Single().Args.Should().Equal("$remote_addr", "consistent");
        stream.Find("server").Single().Find("proxy_timeout").Single().Args.Should().Equal("20m");
        root.Find("http").Single().Find("map").Should().BeEmpty();
    }

    [Fact]
    public void TLS_listens_with_the_mounted_certificate_and_a_second_server_redirects()
    {
        var root = Render(s => s.Balancer.Tls = new TlsSpec { SecretName = "t", RedirectHttp = true });
        var servers = root.Find("http").Single().Find("server").ToList();
        servers.Should().Contain(s => s.Find("listen").Single().Args.SequenceEqual(new[] { "8443", "ssl" })
            && s.Find("ssl_certificate").Single().Args[0] == "/etc/wspool/tls/tls.crt");
        servers.Should().Contain(s => s.Find("return").Any(r => r.Args[0] == "301"));
    }
}
