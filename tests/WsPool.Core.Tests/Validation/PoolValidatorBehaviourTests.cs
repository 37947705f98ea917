using k8s.Models;
using WsPool.Core.Api;
using WsPool.Core.Validation;

namespace WsPool.Core.Tests.Validation;

public class PoolValidatorBehaviourTests
{
    [Fact]
    public void Reports_every_error_at_once_in_field_order()
    {
        var pool = TestPools.Valid();
        pool.Spec.Broker.EnvVar = "BAD-NAME";         // spec.broker (last)
        pool.Spec.Timeouts.Tunnel = "0s";             // spec.timeouts
        pool.Spec.Path = "no-slash";                  // spec.path
        pool.Metadata.Name = "Bad";                   // metadata (first)
        pool.Spec.Connections.Limit = 0;              // spec.connections.limit, and the target <= limit rule

        PoolValidator.Validate(pool).Select(e => e.Path).Should().Equal(
            "metadata.name",
            "spec.path",
            "spec.connections",
            "spec.connections.limit",
            "spec.timeouts.tunnel",
            "spec.broker.envVar");
    }

    [Fact]
    public void Validation_is_deterministic()
    {
        var pool = TestPools.Valid();
        pool.Spec.Port = "nope";
        pool.Spec.Affinity.Cookie = new() { Name = "x y" };

        PoolValidator.Validate(pool).Should().Equal(PoolValidator.Validate(pool));
    }

    [Fact]
    public void An_error_prints_as_path_colon_message() =>
        new ValidationError("spec.path", "must be an absolute URL path").ToString().Should().Be("spec.path: must be an absolute URL path");

    [Fact]
    public void Null_sections_are_reported_not_thrown()
    {
        var pool = new WebSocketPool
        {
            Metadata = null!,
            Spec = new WebSocketPoolSpec
            {
                Template = new V1PodTemplateSpec { Spec = new V1PodSpec { Containers = [null!] } },
                Port = null!,
                Path = null!,
                Connections = null!,
                HealthCheck = null!,
                Scaling = new ScalingSpec { Metrics = null!, Prewarm = null!, ScaleUp = null!, ScaleDown = null!, Rebalance = null! },
                Drain = new DrainSpec { Timeout = null!, PreStopDelay = null! },
                Affinity = new AffinitySpec { Type = AffinityType.Cookie, Cookie = new CookieAffinitySpec { Name = null! } },
                Timeouts = null!,
                Balancer = new BalancerSpec { Type = BalancerType.Gateway, Gateway = new GatewayBalancerSpec { ParentRefs = [null!], Hostnames = [null!] } },
                Broker = new BrokerSpec { Managed = null!, EnvVar = null! },
            },
        };

        var errors = PoolValidator.Validate(pool);

        errors.Should().NotContain(e => e.Message.Contains("could not check"));
        errors.Select(e => e.Path).Should().Contain([
            "metadata.name", "spec.template.spec.containers[0]", "spec.port", "spec.path", "spec.connections",
            "spec.healthCheck", "spec.scaling.metrics", "spec.drain.timeout", "spec.affinity.cookie.name",
            "spec.timeouts", "spec.balancer.gateway.parentRefs[0]", "spec.broker.envVar",
        ]);
    }

    [Fact]
    public void A_pool_without_spec_is_reported_not_thrown()
    {
        var pool = new WebSocketPool { Metadata = new V1ObjectMeta { Name = "x" }, Spec = null! };

        PoolValidator.Validate(pool).Should().ContainSingle().Which.Should().Be(new ValidationError("spec", "required"));
    }

    [Fact]
    public void A_null_pool_is_reported_not_thrown() =>
        PoolValidator.Validate(null!).Should().ContainSingle();

    [Fact]
    public void Messages_do_not_echo_the_offending_value()
    {
        var pool = TestPools.Valid();
        pool.Spec.Affinity.Type = AffinityType.Cookie;
        pool.Spec.Affinity.Cookie = new() { Name = "a;b\nserver evil 1.2.3.4:80" };

        PoolValidator.Validate(pool).Should().AllSatisfy(e => e.ToString().Should().NotContain("\n").And.NotContain("evil"));
    }
}
