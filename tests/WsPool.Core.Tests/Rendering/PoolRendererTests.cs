using k8s;
using k8s.Models;
using WsPool.Core.Api;
using WsPool.Core.Balancers;
using WsPool.Core.Rendering;

namespace WsPool.Core.Tests.Rendering;

public class PoolRendererTests
{
    private static WebSocketPool Full() => TestPools.Minimal(p =>
    {
        p.Spec.Broker.Type = BrokerType.Managed;
        p.Spec.Template.Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["team"] = "rt" } };
        p.Spec.Template.Spec.Containers[0].Env = new List<V1EnvVar> { new() { Name = "A", Value = "1" } };
    });

    [Fact]
    public void Objects_come_in_apply_order_secrets_services_deployments_budget_then_the_balancer()
    {
        var pool = Full();
        var objects = TestPools.Render(pool).Objects;
        var balancer = Balancers.BalancerKinds.Render(pool, new RenderOptions()).Objects;

        objects.Skip(objects.Count - balancer.Count).Select(o => $"{o.Kind}/{o.Metadata.Name}")
            .Should().Equal(balancer.Select(o => $"{o.Kind}/{o.Metadata.Name}"), "the balancer routes to everything else, so it comes last");
        objects.Take(objects.Count - balancer.Count).Select(o => $"{o.Kind}/{o.Metadata.Name}").Should().Equal(
            "Secret/demo-redis",
            "Service/demo",
            "Service/demo-headless",
            "Service/demo-redis",
            "Deployment/demo-redis",
            "Deployment/demo",
            "PodDisruptionBudget/demo");
    }

    [Fact]
    public void Every_object_has_api_version_kind_name_namespace_and_the_pool_labels()
    {
        var rendered = TestPools.Render(Full());

        foreach (var o in rendered.Objects)
        {
            o.ApiVersion.Should().NotBeNullOrEmpty();
            o.Kind.Should().NotBeNullOrEmpty();
            o.Metadata.Name.Should().NotBeNullOrEmpty();
            o.Metadata.NamespaceProperty.Should().Be("apps");
            o.Metadata.Labels.Should().ContainKeys(PoolLabels.Name, PoolLabels.Instance, PoolLabels.Component, PoolLabels.ManagedBy);
            o.Metadata.Labels[PoolLabels.Instance].Should().Be("demo");
        }
    }

    [Fact]
    public void A_pool_without_a_namespace_renders_into_default()
    {
        var pool = TestPools.Minimal(p => p.Metadata.NamespaceProperty = null);

        TestPools.Render(pool).Objects.Should().OnlyContain(o => o.Metadata.NamespaceProperty == "default");
    }

    [Fact]
    public void Rendering_never_modifies_the_pool()
    {
        var pool = Full();
        var before = KubernetesJson.Serialize(pool);

        var rendered = TestPools.Render(pool);
        // Changing what was rendered must not reach back into the pool either (no shared lists or maps).
        rendered.Backend().Spec.Template.Spec.Containers[0].Env.Add(new V1EnvVar { Name = "LATER" });
        rendered.Backend().Spec.Template.Metadata.Labels["later"] = "x";

        KubernetesJson.Serialize(pool).Should().Be(before);
    }

    [Fact]
    public void The_same_pool_renders_the_same_objects_every_time()
    {
        var first = KubernetesJson.Serialize(TestPools.Render(Full()).Objects);
        var second = KubernetesJson.Serialize(TestPools.Render(Full()).Objects);

        second.Should().Be(first);
    }
}
