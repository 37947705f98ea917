using WsPool.Balancers.Tests.Support;
using WsPool.Core.Api;
using WsPool.Core.Balancers;
using WsPool.Core.Rendering;
using static WsPool.Balancers.Tests.Support.HAProxyConfigParser;

namespace WsPool.Balancers.Tests;

/// <summary>What the generated haproxy.cfg says, read back with an HAProxy-faithful parser.</summary>
public class HAProxyConfigTests
{
    private static IReadOnlyList<Section> Render(Action<WebSocketPoolSpec>? configure = null, RenderOptions? options = null) =>
        Parse(BalancerKinds.Render(Repo.Pool(configure), options ?? new RenderOptions()).ConfigFiles[BalancerPaths.HAProxyConfigFile]);

    private static Section Backend(IReadOnlyList<Section> config) => Get(config, "backend pool");

    [Fact]
    public void Server_template_reserves_one_slot_per_max_replica_over_the_headless_service()
    {
        var backend = Backend(Render(s => { s.MaxReplicas = 17; s.Port = 9000; }));
        backend.Find("server-template").Should().ContainSingle()
            .Which.Should().Equal("server-template", "ws", "1-17", "chat-headless.demo.svc.cluster.local:9000");
        backend.Find("default-server").Single().Should().ContainInOrder("resolvers", "cluster-dns").And.ContainInOrder("init-addr", "none");
    }

    [Fact]
    public void Scaling_the_pool_does_not_change_the_config()
    {
        var three = BalancerKinds.Render(Repo.Pool(s => s.Replicas = 3), new RenderOptions()).ConfigFiles;
        var seven = BalancerKinds.Render(Repo.Pool(s => s.Replicas = 7), new RenderOptions()).ConfigFiles;
        seven.Should().Equal(three);
    }

    [Fact]
    public void The_cluster_resolver_reads_resolv_conf_and_a_resolver_address_replaces_it()
    {
        Get(Render(), "resolvers cluster-dns").Find("parse-resolv-conf").Should().ContainSingle();
        var local = Get(Render(options: new RenderOptions { ResolverAddress = "127.0.0.1:5353" }), "resolvers cluster-dns");
        local.Find("nameserver").Should().ContainSingle().Which.Should().Equal("nameserver", "ns1", "127.0.0.1:5353");
        local.Find("parse-resolv-conf").Should().BeEmpty();
    }

    [Fact]
    public void A_resolver_address_that_is_not_ip_and_port_is_refused()
    {
        var act = () => BalancerKinds.Render(Repo.Pool(), new RenderOptions { ResolverAddress = "1.2.3.4:53\nserver evil" });
        act.Should().Throw<ArgumentException>();
    }

    [Fact]
    public void No_affinity_balances_by_least_connections_with_slow_start()
    {
        var backend = Backend(Render());
        backend.Find("balance").Single().Should().Equal("balance", "leastconn");
        backend.Find("default-server").Single().Should().Contain("slowstart");
        backend.Find("hash-type").Should().BeEmpty();
    }

    [Theory]
    [InlineData(AffinityType.ClientIP, new[] { "balance", "source" })]
    [InlineData(AffinityType.Header, new[] { "balance", "hdr(X-Room)" })]
    [InlineData(AffinityType.QueryParam, new[] { "balance", "url_param", "room" })]
    public void Hash_affinities_balance_by_their_key_with_consistent_hashing(AffinityType type, string[] balance)
    {
        var backend = Backend(Render(s =>
        {
            s.Affinity.Type = type;
            if (type == AffinityType.Header) s.Affinity.Header = new NamedKeySpec { Name = "X-Room" };
            if (type == AffinityType.QueryParam) s.Affinity.QueryParam = new NamedKeySpec { Name = "room" };
        }));
        backend.Find("balance").Single().Should().Equal(balance);
        backend.Find("hash-type").Single().Should().Equal("hash-type", "consistent");
        backend.Find("hash-balance-factor").Should().BeEmpty("bounded load is only set when the spec asks");
    }

    [Fact]
    public void Hash_balance_factor_bounds_the_load_when_the_spec_asks()
    {
        var backend = Backend(Render(s => { s.Affinity.Type = AffinityType.ClientIP; s.Affinity.HashBalanceFactor = 125; }));
        backend.Find("hash-balance-factor").Single().Should().Equal("hash-balance-factor", "125");
    }

    [Fact]
    public void Cookie_affinity_inserts_a_dynamic_cookie_with_the_spec_attributes_and_a_shared_key()
    {
        var backend = Backend(Render(s =>
        {
            s.Affinity.Type = AffinityType.Cookie;
            s.Affinity.Cookie = new CookieAffinitySpec { Name = "SRV", MaxAge = "1h30m", MaxIdle = "20m", Secure = true, SameSite = SameSiteMode.Strict };
        }));
        backend.Find("cookie").Single().Should().Equal(
            "cookie", "SRV", "insert", "indirect", "nocache", "httponly", "secure", "attr", "SameSite=Strict",
            "maxidle", "20m", "maxlife", "90m", "dynamic");
        backend.Find("dynamic-cookie-key").Single().Should().Equal("dynamic-cookie-key", "${WSPOOL_COOKIE_KEY}");
        backend.Find("balance").Single().Should().Equal("balance", "leastconn");
    }

    [Fact]
    public void Each_server_is_capped_at_the_connection_limit_and_waits_in_a_bounded_queue_then_gets_503()
    {
        var config = Render(s => { s.Connections.Limit = 1234; s.Connections.Target = 1000; s.Timeouts.Queue = "3s"; });
        Backend(config).Find("default-server").Single().Should().ContainInOrder("maxconn", "1234");
        Get(config, "defaults").Find("timeout", "queue").Single().Should().Equal("timeout", "queue", "3s");
        Backend(config).Find("http-error", "status", "503").Should().ContainSingle();
    }

    [Fact]
    public void Health_checks_use_the_health_path_and_the_spec_interval_fall_and_rise()
    {
        var backend = Backend(Render(s => s.HealthCheck = new HealthCheckSpec { Path = "/health/ready", Interval = "1500ms", Fall = 4, Rise = 5 }));
        backend.Find("option", "httpchk").Should().ContainSingle();
        backend.Find("http-check", "send").Single().Should().ContainInOrder("uri", "/health/ready");
        backend.Find("http-check", "expect").Single().Should().Equal("http-check", "expect", "status", "200");
        backend.Find("default-server").Single().Should().ContainInOrder("inter", "1500ms", "fall", "4", "rise", "5");
    }

    [Fact]
    public void Timeouts_come_from_the_spec_including_tunnel_and_fin_timeouts()
    {
        var defaults = Get(Render(s => s.Timeouts = new TimeoutsSpec
        {
            Connect = "3s", HttpRequest = "7s", Client = "40s", Server = "50s", Tunnel = "2h30m", ClientFin = "11s", ServerFin = "12s", Queue = "4s",
        }), "defaults");
        string[][] expected =
        [
            ["timeout", "connect", "3s"], ["timeout", "http-request", "7s"], ["timeout", "client", "40s"], ["timeout", "server", "50s"],
            ["timeout", "tunnel", "150m"], ["timeout", "client-fin", "11s"], ["timeout", "server-fin", "12s"], ["timeout", "queue", "4s"],
        ];
        defaults.Find("timeout").Should().BeEquivalentTo(expected, o => o.WithStrictOrdering());
    }

    [Fact]
    public void Hard_stop_after_covers_the_drain_window()
    {
        var global = Get(Render(s => s.Drain = new DrainSpec { Timeout = "2m", PreStopDelay = "10s" }), "global");
        global.Find("hard-stop-after").Single().Should().Equal("hard-stop-after", "130s");
    }

    [Fact]
    public void The_upgrade_on_the_path_is_recognised_and_other_paths_are_refused()
    {
        var frontend = Get(Render(s => s.Path = "/chat"), "frontend websocket");
        frontend.Find("acl", "websocket_path").Select(d => string.Join(' ', d)).Should().Equal(
            "acl websocket_path path /chat", "acl websocket_path path_beg /chat/");
        frontend.Find("acl", "websocket_upgrade").Single().Should().Equal("acl", "websocket_upgrade", "hdr(Upgrade)", "-i", "websocket");
        frontend.Find("http-request", "deny").Single().Should().Equal("http-request", "deny", "deny_status", "404", "unless", "websocket_path");
        frontend.Find("default_backend").Single().Should().Equal("default_backend", "pool");
    }

    [Fact]
    public void Plain_http_reject_answers_400_to_requests_that_are_not_upgrades()
    {
        var frontend = Get(Render(s => s.Balancer.PlainHttp = PlainHttpPolicy.Reject), "frontend websocket");
        frontend.Find("http-request", "deny", "deny_status", "400").Single().Should().EndWith(["unless", "websocket_upgrade"]);
    }

    [Fact]
    public void Layer_4_uses_tcp_mode_with_the_same_balancing_and_no_http_rules()
    {
        var config = Render(s => { s.Balancer.Layer = BalancerLayer.L4; s.Affinity.Type = AffinityType.ClientIP; });
        Get(config, "defaults").Find("mode").Single().Should().Equal("mode", "tcp");
        Get(config, "defaults").Find("timeout", "tunnel").Should().ContainSingle();
        Get(config, "defaults").Find("timeout", "http-request").Should().BeEmpty();
        Get(config, "frontend websocket").Find("acl").Should().BeEmpty();
        Backend(config).Find("balance").Single().Should().Equal("balance", "source");
        Backend(config).Find("http-error").Should().BeEmpty();
    }

    [Fact]
    public void TLS_binds_with_the_mounted_certificate_and_redirects_plain_http_when_asked()
    {
        var frontend = Get(Render(s => s.Balancer.Tls = new TlsSpec { SecretName = "chat-tls", RedirectHttp = true }), "frontend websocket");
        frontend.Find("bind").Select(d => string.Join(' ', d)).Should().Equal(
            "bind :8443 ssl crt /etc/wspool/tls/tls.crt alpn http/1.1", "bind :8080");
        frontend.Find("http-request", "redirect").Single().Should().ContainInOrder("scheme", "https");
    }

    [Fact]
    public void Metrics_and_stats_live_on_their_own_port_and_the_runtime_api_on_a_socket()
    {
        var config = Render();
        var observability = Get(config, "frontend observability");
        observability.Find("bind").Single().Should().Equal("bind", ":8404");
        observability.Find("http-request", "use-service", "prometheus-exporter").Should().ContainSingle();
        Get(config, "global").Find("stats", "socket").Single().Should().ContainInOrder("level", "admin");
        Get(config, "frontend websocket").Find("log-format").Single()[1].Should().Contain("%tsc").And.Contain("upgrade:%hr");
    }

    [Fact]
    public void Every_section_says_why_it_is_there_and_nothing_enables_the_deprecated_master_worker_keyword()
    {
        var text = BalancerKinds.Render(Repo.Pool(), new RenderOptions()).ConfigFiles[BalancerPaths.HAProxyConfigFile];
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
            if (lines[i].Length > 0 && !char.IsWhiteSpace(lines[i][0]) && !lines[i].StartsWith('#'))
                lines[i - 1].Should().StartWith("#", $"section '{lines[i]}' needs a comment above it");
        Parse(text).SelectMany(s => s.Directives).Should().NotContain(d => d[0] == "master-worker" || d[0] == "daemon");
    }
}
