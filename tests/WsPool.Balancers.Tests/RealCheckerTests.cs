using WsPool.Balancers.Tests.Support;
using WsPool.Core.Api;
using WsPool.Core.Balancers;
using WsPool.Core.Rendering;
using WsPool.Core.Validation;

namespace WsPool.Balancers.Tests;

/// <summary>Every config the generators emit for the examples and for the option matrix passes the real checkers.</summary>
public class RealCheckerTests
{
    public static TheoryData<string> Examples() => new(Repo.ExampleFiles().Select(Path.GetFileName)!);

    [Theory]
    [MemberData(nameof(Examples))]
    public void Every_example_renders_its_own_balancer_and_passes_the_real_checker(string file)
    {
        var pool = Repo.Load(Path.Combine(Repo.Root, "examples", file));
        PoolValidator.Validate(pool).Should().BeEmpty();

        var output = BalancerKinds.Render(pool, new RenderOptions());

        output.Objects.Should().NotBeEmpty();
        AssertConfigsPass(output);
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void Every_example_as_a_managed_HAProxy_or_NGINX_passes_the_real_checker(string file)
    {
        foreach (var type in new[] { BalancerType.HAProxy, BalancerType.Nginx })
        {
            var pool = Repo.Load(Path.Combine(Repo.Root, "examples", file));
            pool.Spec.Balancer.Type = type;
            pool.Spec.Balancer.Gateway = null;
            var output = BalancerKinds.Render(pool, new RenderOptions { Backends = ["10.0.0.1:8080", "10.0.0.2:8080"] });
            output.ConfigFiles.Should().ContainSingle();
            AssertConfigsPass(output);
        }
    }

    public static TheoryData<AffinityType, BalancerType, BalancerLayer, string> Matrix()
    {
        var data = new TheoryData<AffinityType, BalancerType, BalancerLayer, string>();
        foreach (var affinity in Enum.GetValues<AffinityType>())
        foreach (var balancer in new[] { BalancerType.HAProxy, BalancerType.Nginx })
        foreach (var layer in Enum.GetValues<BalancerLayer>())
        foreach (var tls in new[] { "none", "tls", "tls+redirect" })
            data.Add(affinity, balancer, layer, tls);
        return data;
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public void Affinity_balancer_layer_and_TLS_combinations_are_rejected_clearly_or_pass_the_real_checker(
        AffinityType affinity, BalancerType balancer, BalancerLayer layer, string tls)
    {
        var pool = MatrixPool(affinity, balancer, layer, tls);
        var errors = PoolValidator.Validate(pool);

        var expectRejection = layer == BalancerLayer.L4
            && (affinity is AffinityType.Cookie or AffinityType.Header or AffinityType.QueryParam || tls == "tls+redirect");
        if (expectRejection)
        {
            errors.Should().NotBeEmpty();
            errors.Should().OnlyContain(e => e.Path.StartsWith("spec.") && e.Message.Length > 20);
            return;
        }
        errors.Should().BeEmpty();
        var output = BalancerKinds.Render(pool, new RenderOptions { Backends = ["127.0.0.2:8080", "127.0.0.3:8080", "127.0.0.4:8080"] });
        AssertConfigsPass(output);
    }

    [Fact]
    public void The_HAProxy_config_with_a_fixed_resolver_passes_haproxy_check()
    {
        var output = BalancerKinds.Render(Repo.Pool(), new RenderOptions { ResolverAddress = "127.0.0.1:5353" });
        var config = output.ConfigFiles[BalancerPaths.HAProxyConfigFile];
        config.Should().Contain("nameserver ns1 127.0.0.1:5353").And.NotContain("parse-resolv-conf");
        AssertConfigsPass(output);
    }

    [Fact]
    public void The_NGINX_config_without_ready_pods_uses_a_down_placeholder_and_passes_nginx_check()
    {
        var output = BalancerKinds.Render(Repo.Pool(s => s.Balancer.Type = BalancerType.Nginx), new RenderOptions());
        output.ConfigFiles[BalancerPaths.NginxConfigFile].Should().Contain($"server {NginxConfigBuilder.PlaceholderServer} down;");
        AssertConfigsPass(output);
    }

    [Fact]
    public void The_checker_harness_rejects_a_broken_config()
    {
        // The harness must be able to fail: a config with an unknown keyword is refused by both tools.
        Checkers.CheckHAProxy("global\n    no-such-keyword 1\n").ExitCode.Should().NotBe(0);
        Checkers.CheckNginx("events {}\nhttp { no_such_directive 1; }\n").ExitCode.Should().NotBe(0);
    }

    [Fact]
    public void The_checker_harness_flags_a_config_that_passes_with_a_warning()
    {
        // Accepted (exit 0) but warned about: 'option forwardfor' needs HTTP mode; two servers claim one name.
        var haproxy = Checkers.CheckHAProxy(
            "defaults\n    mode tcp\n    timeout connect 1s\n    timeout client 1s\n    timeout server 1s\n    option forwardfor\n" +
            "frontend websocket\n    bind :8080\n    default_backend pool\nbackend pool\n    server ws1 127.0.0.2:8080\n");
        haproxy.ExitCode.Should().Be(0, haproxy.Output);
        haproxy.Complaints.Should().NotBeEmpty().And.OnlyContain(l => l.Contains("'option forwardfor' ignored"));
        haproxy.Clean.Should().BeFalse();

        // What a test config needs besides: no access log and temp paths under the prefix (Debian's are in /var).
        var local = "    access_log off;\n" +
            string.Concat(new[] { "client_body", "proxy", "fastcgi", "uwsgi", "scgi" }.Select(t => $"    {t}_temp_path run/{t};\n"));
        var nginx = Checkers.CheckNginx(
            "events {}\nhttp {\n" + local + "    server {\n        listen 8080;\n        server_name a;\n    }\n" +
            "    server {\n        listen 8080;\n        server_name a;\n    }\n}\n");
        nginx.ExitCode.Should().Be(0, nginx.Output);
        nginx.Complaints.Should().ContainSingle().Which.Should().Contain("[warn]").And.Contain("conflicting server name");
        nginx.Clean.Should().BeFalse();
    }

    internal static WebSocketPool MatrixPool(AffinityType affinity, BalancerType balancer, BalancerLayer layer, string tls) =>
        Repo.Pool(s =>
        {
            s.Port = 8080;
            s.Balancer.Type = balancer;
            s.Balancer.Layer = layer;
            s.Affinity.Type = affinity;
            s.Affinity.Cookie = affinity == AffinityType.Cookie
                ? new CookieAffinitySpec { Name = "SRV", MaxAge = "12h", Secure = tls != "none" }
                : null;
            s.Affinity.Header = affinity == AffinityType.Header ? new NamedKeySpec { Name = "X-Room" } : null;
            s.Affinity.QueryParam = affinity == AffinityType.QueryParam ? new NamedKeySpec { Name = "room" } : null;
            if (balancer == BalancerType.HAProxy && affinity is AffinityType.ClientIP or AffinityType.Header or AffinityType.QueryParam)
                s.Affinity.HashBalanceFactor = 150;
            s.Balancer.Tls = tls == "none" ? null : new TlsSpec { SecretName = "chat-tls", RedirectHttp = tls == "tls+redirect" };
        });

    internal static void AssertConfigsPass(BalancerOutput output)
    {
        foreach (var (name, text) in output.ConfigFiles)
        {
            var result = name == BalancerPaths.HAProxyConfigFile ? Checkers.CheckHAProxy(text) : Checkers.CheckNginx(text);
            result.ExitCode.Should().Be(0, $"{name} must pass the real checker:\n{result.Output}\n---\n{text}");
            result.Complaints.Should().BeEmpty($"{name} must pass the real checker without a warning:\n{result.Output}\n---\n{text}");
        }
    }
}
