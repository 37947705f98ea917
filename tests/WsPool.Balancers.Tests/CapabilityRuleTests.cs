using WsPool.Balancers.Tests.Support;
using WsPool.Core.Api;
using WsPool.Core.Validation;

namespace WsPool.Balancers.Tests;

/// <summary>What a balancer cannot express is rejected with the field path and what it can do instead.</summary>
public class CapabilityRuleTests
{
    private static IReadOnlyList<ValidationError> Validate(Action<WebSocketPoolSpec> configure) => PoolValidator.Validate(Repo.Pool(configure));

    private static void Nginx(WebSocketPoolSpec s) => s.Balancer.Type = BalancerType.Nginx;

    private static void Ingress(WebSocketPoolSpec s, IngressController controller) =>
        (s.Balancer.Type, s.Balancer.Ingress) = (BalancerType.Ingress, new IngressBalancerSpec { Controller = controller });

    [Theory]
    [InlineData("1.28.0")]
    [InlineData("1.29.5")]
    [InlineData("1.29")]
    public void Nginx_cookie_affinity_before_1_29_6_is_rejected_naming_the_version_and_the_alternatives(string version)
    {
        var errors = Validate(s => { Nginx(s); s.Balancer.NginxVersion = version; s.Affinity.Type = AffinityType.Cookie; });
        errors.Should().ContainSingle().Which.Path.Should().Be("spec.affinity.type");
        errors[0].Message.Should().Contain("1.29.6").And.Contain(version).And.Contain("HAProxy").And.Contain("nginx:1.30");
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("nginx:1.29.6-alpine", null)]
    [InlineData("nginx:1.30.0", null)]
    [InlineData("nginx:1.30", null)]
    [InlineData("nginx:1.30-alpine", null)]
    [InlineData("registry.example.com/nginx@sha256:0000000000000000000000000000000000000000000000000000000000000000", "1.29.7")]
    public void Nginx_cookie_affinity_from_1_29_6_is_accepted(string? image, string? version)
    {
        Validate(s => { Nginx(s); s.Balancer.Image = image; s.Balancer.NginxVersion = version; s.Affinity.Type = AffinityType.Cookie; })
            .Should().BeEmpty();
    }

    [Fact]
    public void Nginx_cookie_affinity_with_an_image_whose_tag_names_no_version_asks_for_nginx_version()
    {
        var errors = Validate(s => { Nginx(s); s.Balancer.Image = "nginx:stable"; s.Affinity.Type = AffinityType.Cookie; });
        errors.Should().ContainSingle().Which.Message.Should().Contain("nginxVersion");
    }

    [Fact]
    public void Nginx_cannot_hash_a_header_with_an_underscore_in_its_name()
    {
        Validate(s => { Nginx(s); s.Affinity.Type = AffinityType.Header; s.Affinity.Header = new NamedKeySpec { Name = "x_room" }; })
            .Should().ContainSingle(e => e.Path == "spec.affinity.header.name" && e.Message.Contains("'-'"));
    }

    [Fact]
    public void Nginx_cannot_bound_hash_load()
    {
        Validate(s => { Nginx(s); s.Affinity.Type = AffinityType.ClientIP; s.Affinity.HashBalanceFactor = 150; })
            .Should().ContainSingle(e => e.Path == "spec.affinity.hashBalanceFactor" && e.Message.Contains("HAProxy"));
    }

    [Theory]
    [InlineData(AffinityType.Header)]
    [InlineData(AffinityType.ClientIP)]
    [InlineData(AffinityType.QueryParam)]
    public void An_alb_cannot_pin_by_anything_but_a_cookie_and_says_so(AffinityType type)
    {
        var errors = Validate(s =>
        {
            Ingress(s, IngressController.AwsLoadBalancer);
            s.Affinity.Type = type;
            s.Affinity.Header = type == AffinityType.Header ? new NamedKeySpec { Name = "X-Room" } : null;
            s.Affinity.QueryParam = type == AffinityType.QueryParam ? new NamedKeySpec { Name = "room" } : null;
        });
        errors.Should().ContainSingle().Which.Should().Match<ValidationError>(e => e.Path == "spec.affinity.type" && e.Message.Contains("Cookie"));
    }

    [Fact]
    public void An_alb_idle_timeout_cannot_exceed_4000_seconds()
    {
        Validate(s => { Ingress(s, IngressController.AwsLoadBalancer); s.Timeouts.Tunnel = "2h"; })
            .Should().ContainSingle(e => e.Path == "spec.timeouts.tunnel" && e.Message.Contains("4000"));
    }

    [Fact]
    public void The_haproxy_org_controller_cannot_set_cookie_lifetimes()
    {
        Validate(s => { Ingress(s, IngressController.HAProxyTech); s.Affinity.Type = AffinityType.Cookie; s.Affinity.Cookie = new CookieAffinitySpec { MaxAge = "1h" }; })
            .Should().ContainSingle(e => e.Path == "spec.affinity.cookie.maxAge" && e.Message.Contains("cookie name"));
    }

    [Theory]
    [InlineData(AffinityType.ClientIP)]
    [InlineData(AffinityType.QueryParam)]
    public void An_http_route_pins_by_cookie_or_header_only(AffinityType type)
    {
        Validate(s =>
        {
            s.Balancer.Type = BalancerType.Gateway;
            s.Balancer.Gateway = new GatewayBalancerSpec { ParentRefs = [new GatewayParentRef { Name = "gw" }] };
            s.Affinity.Type = type;
            s.Affinity.QueryParam = type == AffinityType.QueryParam ? new NamedKeySpec { Name = "room" } : null;
        }).Should().ContainSingle(e => e.Path == "spec.affinity.type" && e.Message.Contains("Cookie or Header"));
    }

    [Fact]
    public void Rejecting_plain_http_needs_a_managed_layer_7_balancer()
    {
        Validate(s => { Ingress(s, IngressController.IngressNginx); s.Balancer.PlainHttp = PlainHttpPolicy.Reject; })
            .Should().ContainSingle(e => e.Path == "spec.balancer.plainHttp");
        Validate(s => s.Balancer.PlainHttp = PlainHttpPolicy.Reject).Should().BeEmpty();
    }

    [Fact]
    public void The_injection_example_is_rejected_before_any_balancer_sees_it()
    {
        var pool = Repo.Load(Path.Combine(Repo.Root, "examples", "invalid", "cookie-injection.yaml"));
        PoolValidator.Validate(pool).Should().Contain(e => e.Path == "spec.affinity.cookie.name");
    }
}
