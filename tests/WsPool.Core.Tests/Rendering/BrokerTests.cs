using System.Text;
using k8s.Models;
using WsPool.Core.Api;
using WsPool.Core.Intent;
using WsPool.Core.Rendering;

namespace WsPool.Core.Tests.Rendering;

public class BrokerTests
{
    private static WebSocketPool Managed(Action<WebSocketPool>? adjust = null) => TestPools.Minimal(p =>
    {
        p.Spec.Broker.Type = BrokerType.Managed;
        adjust?.Invoke(p);
    });

    private static RenderOptions WithPassword(string password) =>
        new() { GeneratedValues = new Dictionary<GeneratedValue, string> { [new("demo-redis", "password")] = password } };

    [Theory]
    [InlineData(BrokerType.None)]
    [InlineData(BrokerType.External)]
    public void Only_a_managed_broker_renders_redis_objects(BrokerType type)
    {
        var pool = TestPools.Minimal(p =>
        {
            p.Spec.Broker.Type = type;
            p.Spec.Broker.External = new SecretKeyRef { Name = "shared-redis" };
        });

        var rendered = TestPools.Render(pool);

        rendered.Objects.Should().NotContain(o => o.Metadata.Name == "demo-redis");
        rendered.Objects.Should().NotContain(o => o is V1Secret);
    }

    [Fact]
    public void A_managed_broker_renders_its_secret_service_and_deployment_with_broker_labels()
    {
        var rendered = TestPools.Render(Managed());

        var objects = rendered.Objects.Where(o => o.Metadata.Name == "demo-redis").ToList();
        objects.Select(o => o.Kind).Should().Equal("Secret", "Service", "Deployment");
        objects.Should().OnlyContain(o => o.Metadata.NamespaceProperty == "apps"
            && o.Metadata.Labels[PoolLabels.Component] == PoolLabels.BrokerComponent);
    }

    [Fact]
    public void Offline_the_secret_has_no_data_and_asks_the_operator_to_generate_the_password()
    {
        var secret = TestPools.Render(Managed()).Single<V1Secret>("demo-redis");

        secret.Data.Should().BeNull();
        secret.StringData.Should().BeNull();
        secret.Metadata.Annotations.Should().Contain(PoolAnnotations.GenerateKeys, "password");
    }

    [Fact]
    public void A_known_password_is_rendered_as_secret_data_without_the_generate_annotation()
    {
        var secret = TestPools.Render(Managed(), WithPassword("hunter2hunter2")).Single<V1Secret>("demo-redis");

        Encoding.UTF8.GetString(secret.Data["password"]).Should().Be("hunter2hunter2");
        secret.Metadata.Annotations.Should().BeNull();
    }

    [Fact]
    public void A_known_password_puts_the_same_checksum_on_the_redis_and_backend_pods_so_both_roll_together()
    {
        var first = TestPools.Render(Managed(), WithPassword("first-password"));
        var second = TestPools.Render(Managed(), WithPassword("second-password"));

        string Checksum(PoolIntent r, string deployment) =>
            r.Single<V1Deployment>(deployment).Spec.Template.Metadata.Annotations[PoolAnnotations.RedisPasswordChecksum];

        Checksum(first, "demo").Should().StartWith("sha256:").And.Be(Checksum(first, "demo-redis"));
        Checksum(first, "demo").Should().NotBe(Checksum(second, "demo"));
        Checksum(first, "demo").Should().NotContain("first-password");
    }

    [Fact]
    public void Offline_no_pod_carries_a_password_checksum()
    {
        var rendered = TestPools.Render(Managed());

        rendered.Objects.OfType<V1Deployment>().Should().OnlyContain(d =>
            d.Spec.Template.Metadata.Annotations == null
            || !d.Spec.Template.Metadata.Annotations.ContainsKey(PoolAnnotations.RedisPasswordChecksum));
    }

    [Fact]
    public void The_redis_service_reaches_port_6379_of_the_broker_pods()
    {
        var service = TestPools.Render(Managed()).Single<V1Service>("demo-redis");

        service.Spec.Selector.Should().Equal(PoolLabels.Selector("demo", PoolLabels.BrokerComponent));
        var port = service.Spec.Ports.Single();
        port.Port.Should().Be(6379);
        port.TargetPort.Value.Should().Be("redis");
    }

    [Fact]
    public void Redis_runs_one_replica_of_the_configured_image_and_is_replaced_not_rolled()
    {
        var redis = TestPools.Render(Managed(p => p.Spec.Broker.Managed.Image = "redis:7.4-alpine")).Single<V1Deployment>("demo-redis");

        redis.Spec.Replicas.Should().Be(1);
        redis.Spec.Strategy.Type.Should().Be("Recreate");
        redis.Spec.Selector.MatchLabels.Should().Equal(PoolLabels.Selector("demo", PoolLabels.BrokerComponent));
        redis.Spec.Template.Metadata.Labels.Should().Contain(redis.Spec.Selector.MatchLabels);
        redis.Container("redis").Image.Should().Be("redis:7.4-alpine");
    }

    [Fact]
    public void Redis_requires_the_password_from_the_secret_and_persists_nothing()
    {
        var redis = TestPools.Render(Managed()).Single<V1Deployment>("demo-redis").Container("redis");

        redis.Command.Should().Equal("redis-server");
        redis.Args.Should().ContainInConsecutiveOrder("--requirepass", "$(REDIS_PASSWORD)");
        redis.Args.Should().ContainInConsecutiveOrder("--save", "");
        redis.Args.Should().ContainInConsecutiveOrder("--appendonly", "no");
        var password = redis.Env("REDIS_PASSWORD").ValueFrom.SecretKeyRef;
        password.Name.Should().Be("demo-redis");
        password.Key.Should().Be("password");
    }

    [Fact]
    public void Redis_runs_under_the_restricted_security_profile_with_a_read_only_root()
    {
        var redis = TestPools.Render(Managed()).Single<V1Deployment>("demo-redis");
        var pod = redis.Spec.Template.Spec;
        var container = redis.Container("redis");

        container.SecurityContext.RunAsNonRoot.Should().BeTrue();
        container.SecurityContext.RunAsUser.Should().Be(999);
        container.SecurityContext.ReadOnlyRootFilesystem.Should().BeTrue();
        container.SecurityContext.AllowPrivilegeEscalation.Should().BeFalse();
        container.SecurityContext.Capabilities.Drop.Should().Equal("ALL");
        container.SecurityContext.SeccompProfile.Type.Should().Be("RuntimeDefault");
        pod.SecurityContext.SeccompProfile.Type.Should().Be("RuntimeDefault");
        pod.SecurityContext.RunAsNonRoot.Should().BeTrue();
        var data = container.VolumeMounts.Single(m => m.MountPath == "/data");
        pod.Volumes.Single(v => v.Name == data.Name).EmptyDir.Should().NotBeNull("the only writable place is a scratch volume");
    }

    [Fact]
    public void Redis_declares_requests_and_a_memory_limit()
    {
        var resources = TestPools.Render(Managed()).Single<V1Deployment>("demo-redis").Container("redis").Resources;

        resources.Requests.Keys.Should().BeEquivalentTo("cpu", "memory");
        resources.Limits.Keys.Should().Contain("memory");
    }

    [Fact]
    public void Redis_readiness_is_an_authenticated_ping_without_a_shell()
    {
        var redis = TestPools.Render(Managed()).Single<V1Deployment>("demo-redis").Container("redis");

        redis.ReadinessProbe.Exec.Command.Should().Equal("redis-cli", "-e", "-p", "6379", "ping");
        redis.ReadinessProbe.Exec.Command.Should().NotContain(new[] { "sh", "/bin/sh", "-c" });
        redis.Env("REDISCLI_AUTH").ValueFrom.SecretKeyRef.Name.Should().Be("demo-redis");
    }
}
