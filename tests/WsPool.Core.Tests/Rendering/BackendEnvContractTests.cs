using k8s.Models;
using WsPool.Core.Api;
using WsPool.Core.Rendering;

namespace WsPool.Core.Tests.Rendering;

public class BackendEnvContractTests
{
    [Fact]
    public void Every_container_gets_the_pod_name_path_limit_and_drain_timeout()
    {
        var pool = TestPools.Minimal(p =>
        {
            p.Spec.Path = "/chat";
            p.Spec.Connections.Limit = 4000;
            p.Spec.Drain.Timeout = "90s";
            p.Spec.Template.Spec.Containers.Add(new V1Container { Name = "sidecar", Image = "example/sidecar:1" });
        });

        var backend = TestPools.Render(pool).Backend();

        foreach (var container in backend.Spec.Template.Spec.Containers)
        {
            container.Env(BackendEnv.PodName).ValueFrom.FieldRef.FieldPath.Should().Be("metadata.name");
            container.Env(BackendEnv.WsPath).Value.Should().Be("/chat");
            container.Env(BackendEnv.ConnectionLimit).Value.Should().Be("4000");
            container.Env(BackendEnv.DrainTimeout).Value.Should().Be("90s");
        }
    }

    [Fact]
    public void A_variable_the_user_set_is_kept_and_not_duplicated()
    {
        var pool = TestPools.Minimal(p => p.Spec.Template.Spec.Containers[0].Env = new List<V1EnvVar>
        {
            new() { Name = "WSPOOL_WS_PATH", Value = "/custom" },
            new() { Name = "OTHER", Value = "x" },
        });

        var env = TestPools.Render(pool).Backend().Container("app").Env;

        env.Where(e => e.Name == BackendEnv.WsPath).Should().ContainSingle().Which.Value.Should().Be("/custom");
        env.Select(e => e.Name).Should().StartWith(new[] { "WSPOOL_WS_PATH", "OTHER" }, "the user's variables stay first and in order");
        env.Select(e => e.Name).Should().OnlyHaveUniqueItems();
    }

    [Fact]
    public void Without_a_broker_no_broker_variable_is_set()
    {
        var env = TestPools.Render(TestPools.Minimal()).Backend().Container("app").Env;

        env.Select(e => e.Name).Should().NotContain(new[] { "WSPOOL_REDIS_URL", BackendEnv.RedisPassword });
    }

    [Fact]
    public void A_managed_broker_passes_the_password_from_the_generated_secret_and_a_url_that_expands_it()
    {
        var pool = TestPools.Minimal(p => p.Spec.Broker.Type = BrokerType.Managed);

        var env = TestPools.Render(pool).Backend().Container("app").Env;

        var password = env.Single(e => e.Name == BackendEnv.RedisPassword);
        password.ValueFrom.SecretKeyRef.Name.Should().Be("demo-redis");
        password.ValueFrom.SecretKeyRef.Key.Should().Be("password");
        var url = env.Single(e => e.Name == "WSPOOL_REDIS_URL");
        url.Value.Should().Be("redis://default:$(WSPOOL_REDIS_PASSWORD)@demo-redis.apps.svc:6379");
        env.IndexOf(password).Should().BeLessThan(env.IndexOf(url), "Kubernetes expands $(VAR) only from variables defined earlier");
    }

    [Fact]
    public void A_managed_broker_uses_the_configured_variable_name()
    {
        var pool = TestPools.Minimal(p =>
        {
            p.Spec.Broker.Type = BrokerType.Managed;
            p.Spec.Broker.EnvVar = "REDIS_URL";
        });

        var env = TestPools.Render(pool).Backend().Container("app").Env;

        env.Should().Contain(e => e.Name == "REDIS_URL" && e.Value.StartsWith("redis://"));
        env.Should().NotContain(e => e.Name == "WSPOOL_REDIS_URL");
    }

    [Fact]
    public void An_external_broker_reads_the_url_from_the_named_secret_key()
    {
        var pool = TestPools.Minimal(p =>
        {
            p.Spec.Broker.Type = BrokerType.External;
            p.Spec.Broker.External = new SecretKeyRef { Name = "shared-redis", Key = "connection" };
        });

        var env = TestPools.Render(pool).Backend().Container("app").Env;

        var url = env.Single(e => e.Name == "WSPOOL_REDIS_URL");
        url.Value.Should().BeNull();
        url.ValueFrom.SecretKeyRef.Name.Should().Be("shared-redis");
        url.ValueFrom.SecretKeyRef.Key.Should().Be("connection");
        env.Should().NotContain(e => e.Name == BackendEnv.RedisPassword);
    }
}
