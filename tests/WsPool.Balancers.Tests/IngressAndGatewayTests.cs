using k8s;
using k8s.Models;
using WsPool.Balancers.Tests.Support;
using WsPool.Core.Api;
using WsPool.Core.Balancers;
using WsPool.Core.Intent;
using WsPool.Core.Rendering;
using WsPool.Core.Validation;

namespace WsPool.Balancers.Tests;

/// <summary>Ingress annotations per controller and the Gateway API HTTPRoute.</summary>
public class IngressAndGatewayTests
{
    private static WebSocketPool IngressPool(IngressController controller, Action<WebSocketPoolSpec>? configure = null) =>
        Repo.Pool(s =>
        {
            s.Port = 8080;
            s.Balancer.Type = BalancerType.Ingress;
            s.Balancer.Ingress = new IngressBalancerSpec { Controller = controller, ClassName = "public", Host = "chat.example.com" };
            configure?.Invoke(s);
        });

    private static V1Ingress Ingress(WebSocketPool pool)
    {
        PoolValidator.Validate(pool).Should().BeEmpty();
        return BalancerKinds.Render(pool, new RenderOptions()).Objects.OfType<V1Ingress>().Single();
    }

    private static void Cookie(WebSocketPoolSpec s, string? maxAge = null) =>
        (s.Affinity.Type, s.Affinity.Cookie) = (AffinityType.Cookie, new CookieAffinitySpec { Name = "SRV", MaxAge = maxAge });

    [Fact]
    public void The_ingress_routes_the_path_prefix_to_the_backend_service_with_class_and_host()
    {
        var ingress = Ingress(IngressPool(IngressController.IngressNginx));
        ingress.Spec.IngressClassName.Should().Be("public");
        var rule = ingress.Spec.Rules.Single();
        rule.Host.Should().Be("chat.example.com");
        var path = rule.Http.Paths.Single();
        (path.Path, path.PathType, path.Backend.Service.Name, path.Backend.Service.Port.Number).Should().Be(("/ws", "Prefix", "chat", 8080));
    }

    [Fact]
    public void Ingress_nginx_gets_cookie_affinity_and_tunnel_timeouts_in_seconds()
    {
        var a = Ingress(IngressPool(IngressController.IngressNginx, s => { Cookie(s, "2h"); s.Timeouts.Tunnel = "1h"; })).Metadata.Annotations;
        a.Should().Contain("nginx.ingress.kubernetes.io/affinity", "cookie")
            .And.Contain("nginx.ingress.kubernetes.io/affinity-mode", "persistent")
            .And.Contain("nginx.ingress.kubernetes.io/session-cookie-name", "SRV")
            .And.Contain("nginx.ingress.kubernetes.io/session-cookie-max-age", "7200")
            .And.Contain("nginx.ingress.kubernetes.io/proxy-read-timeout", "3600")
            .And.Contain("nginx.ingress.kubernetes.io/proxy-send-timeout", "3600");
    }

    [Fact]
    public void Ingress_nginx_hashes_a_header_by_its_nginx_variable()
    {
        var a = Ingress(IngressPool(IngressController.IngressNginx, s =>
            (s.Affinity.Type, s.Affinity.Header) = (AffinityType.Header, new NamedKeySpec { Name = "X-Lobby-Token" }))).Metadata.Annotations;
        a.Should().Contain("nginx.ingress.kubernetes.io/upstream-hash-by", "$http_x_lobby_token");
    }

    [Fact]
    public void HAProxy_tech_gets_its_load_balance_and_server_timeout_and_the_service_gets_cookie_persistence()
    {
        var pool = IngressPool(IngressController.HAProxyTech, s => Cookie(s));
        Ingress(pool).Metadata.Annotations.Should().Contain("haproxy.org/load-balance", "leastconn").And.ContainKey("haproxy.org/timeout-server");
        BalancerKinds.For(pool.Spec.Balancer).BackendServiceAnnotations(pool).Should().Contain("haproxy.org/cookie-persistence", "SRV");
        BalancerKinds.For(pool.Spec.Balancer).Notes(pool.Spec).Should().ContainSingle(n => n.Contains("timeout-tunnel"));
    }

    [Fact]
    public void The_rendered_backend_service_carries_the_haproxy_tech_service_annotations()
    {
        var pool = IngressPool(IngressController.HAProxyTech, s => { Cookie(s); s.Connections.Limit = 1500; });

        var services = PoolIntent.For(pool, new RenderOptions()).Objects.OfType<V1Service>().ToList();

        services.Single(s => s.Metadata.Name == "chat").Metadata.Annotations.Should()
            .Contain("haproxy.org/cookie-persistence", "SRV").And.Contain("haproxy.org/pod-maxconn", "1500");
        services.Single(s => s.Metadata.Name == "chat-headless").Metadata.Annotations.Should().BeNull(
            "the Ingress routes to the ClusterIP Service only");
    }

    [Theory]
    [InlineData(IngressController.IngressNginx)]
    [InlineData(IngressController.HAProxyIngress)]
    [InlineData(IngressController.AwsLoadBalancer)]
    public void Backend_services_of_controllers_that_read_only_the_ingress_carry_no_annotations(IngressController controller)
    {
        var pool = IngressPool(controller, s => Cookie(s));

        PoolIntent.For(pool, new RenderOptions()).Objects.OfType<V1Service>()
            .Should().OnlyContain(s => s.Metadata.Annotations == null);
    }

    [Fact]
    public void A_managed_haproxy_pool_backend_service_carries_no_ingress_annotations()
    {
        var pool = Repo.Pool(s => Cookie(s));

        PoolIntent.For(pool, new RenderOptions()).Objects.OfType<V1Service>()
            .Where(s => s.Metadata.Name == "chat").Should().ContainSingle().Which.Metadata.Annotations.Should().BeNull();
    }

    [Fact]
    public void Haproxy_ingress_gets_affinity_cookie_name_balance_algorithm_and_tunnel_timeout()
    {
        var a = Ingress(IngressPool(IngressController.HAProxyIngress, s => { Cookie(s, "12h"); s.Timeouts.Tunnel = "2h"; })).Metadata.Annotations;
        a.Should().Contain("haproxy-ingress.github.io/affinity", "cookie")
            .And.Contain("haproxy-ingress.github.io/session-cookie-name", "SRV")
            .And.Contain("haproxy-ingress.github.io/balance-algorithm", "leastconn")
            .And.Contain("haproxy-ingress.github.io/timeout-tunnel", "2h");
        a["haproxy-ingress.github.io/session-cookie-keywords"].Should().Contain("maxlife 12h");
    }

    [Fact]
    public void Aws_alb_targets_pods_with_cookie_stickiness_and_the_tunnel_as_idle_timeout()
    {
        var a = Ingress(IngressPool(IngressController.AwsLoadBalancer, s => { Cookie(s, "1h"); s.Timeouts.Tunnel = "30m"; })).Metadata.Annotations;
        a.Should().Contain("alb.ingress.kubernetes.io/target-type", "ip")
            .And.Contain("alb.ingress.kubernetes.io/target-group-attributes", "stickiness.enabled=true,stickiness.type=lb_cookie,stickiness.lb_cookie.duration_seconds=3600")
            .And.Contain("alb.ingress.kubernetes.io/load-balancer-attributes", "idle_timeout.timeout_seconds=1800");
    }

    [Fact]
    public void The_http_route_attaches_to_the_parents_with_hostnames_path_and_header_session_persistence()
    {
        var pool = Repo.Load(Path.Combine(Repo.Root, "examples", "game-lobby.yaml"));
        var route = BalancerKinds.Render(pool, new RenderOptions()).Objects.OfType<HttpRoute>().Single();
        route.ApiVersion.Should().Be("gateway.networking.k8s.io/v1");
        route.Spec.ParentRefs.Single().Should().BeEquivalentTo(new { Name = "public-gateway", Namespace = "gateway-system", SectionName = "https" });
        route.Spec.Hostnames.Should().Equal("lobby.example.com");
        var rule = route.Spec.Rules.Single();
        rule.Matches.Single().Path.Value.Should().Be("/lobby");
        rule.BackendRefs.Single().Should().BeEquivalentTo(new { Name = "lobby", Port = 7350 });
        rule.SessionPersistence.Should().BeEquivalentTo(new { Type = "Header", SessionName = "X-Lobby-Token" });
    }

    [Fact]
    public void Cookie_session_persistence_carries_the_cookie_lifetime_in_gateway_duration_format()
    {
        var pool = Repo.Pool(s =>
        {
            s.Balancer.Type = BalancerType.Gateway;
            s.Balancer.Gateway = new GatewayBalancerSpec { ParentRefs = [new GatewayParentRef { Name = "gw" }] };
            s.Affinity.Type = AffinityType.Cookie;
            s.Affinity.Cookie = new CookieAffinitySpec { Name = "SRV", MaxAge = "1d", MaxIdle = "90m" };
        });
        var persistence = BalancerKinds.Render(pool, new RenderOptions()).Objects.OfType<HttpRoute>().Single().Spec.Rules.Single().SessionPersistence!;
        (persistence.Type, persistence.SessionName, persistence.AbsoluteTimeout, persistence.IdleTimeout, persistence.CookieConfig!.LifetimeType)
            .Should().Be(("Cookie", "SRV", "24h", "1h30m", "Permanent"));
    }

    [Fact]
    public void The_http_route_serializes_with_gateway_api_field_names()
    {
        var pool = Repo.Load(Path.Combine(Repo.Root, "examples", "game-lobby.yaml"));
        var yaml = KubernetesYaml.Serialize(BalancerKinds.Render(pool, new RenderOptions()).Objects.Single());
        yaml.Should().Contain("kind: HTTPRoute").And.Contain("parentRefs:").And.Contain("sessionPersistence:").And.Contain("sessionName: X-Lobby-Token");
    }
}
