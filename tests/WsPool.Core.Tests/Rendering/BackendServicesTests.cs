using k8s.Models;
using WsPool.Core.Rendering;

namespace WsPool.Core.Tests.Rendering;

public class BackendServicesTests
{
    [Fact]
    public void The_cluster_ip_service_exposes_port_ws_targeting_spec_port()
    {
        var pool = TestPools.Minimal(p => p.Spec.Port = "ws");

        var service = TestPools.Render(pool).Single<V1Service>("demo");

        service.Spec.Type.Should().Be("ClusterIP");
        service.Spec.ClusterIP.Should().BeNull("Kubernetes allocates the address");
        var port = service.Spec.Ports.Should().ContainSingle().Subject;
        port.Name.Should().Be("ws");
        port.Port.Should().Be(8080, "a named port resolves to the container port number");
        port.TargetPort.Value.Should().Be("ws");
    }

    [Fact]
    public void A_numeric_spec_port_is_used_as_port_and_target()
    {
        var pool = TestPools.Minimal(p => p.Spec.Port = 9000);

        var port = TestPools.Render(pool).Single<V1Service>("demo").Spec.Ports.Single();

        port.Port.Should().Be(9000);
        port.TargetPort.Value.Should().Be("9000");
    }

    [Fact]
    public void The_headless_service_publishes_only_ready_pods_for_balancer_discovery()
    {
        var headless = TestPools.Render(TestPools.Minimal()).Single<V1Service>("demo-headless");

        headless.Spec.ClusterIP.Should().Be("None");
        headless.Spec.PublishNotReadyAddresses.Should().BeFalse();
        headless.Spec.Ports.Single().Name.Should().Be("ws");
    }

    [Fact]
    public void Both_services_select_the_backend_pods_and_carry_the_backend_labels()
    {
        var rendered = TestPools.Render(TestPools.Minimal());

        foreach (var name in new[] { "demo", "demo-headless" })
        {
            var service = rendered.Single<V1Service>(name);
            service.ApiVersion.Should().Be("v1");
            service.Kind.Should().Be("Service");
            service.Metadata.NamespaceProperty.Should().Be("apps");
            service.Metadata.Labels.Should().Equal(PoolLabels.For("demo", PoolLabels.BackendComponent));
            service.Spec.Selector.Should().Equal(PoolLabels.Selector("demo", PoolLabels.BackendComponent));
        }
    }

    [Fact]
    public void During_a_connection_aware_rollout_both_services_select_only_the_serving_revision()
    {
        var rendered = TestPools.Render(TestPools.Minimal(), new RenderOptions { ServingRevision = "5d8f7c9b6" });

        foreach (var name in new[] { "demo", "demo-headless" })
            rendered.Single<V1Service>(name).Spec.Selector.Should().Contain("pod-template-hash", "5d8f7c9b6", name);
    }

    [Fact]
    public void Without_a_serving_revision_the_services_select_every_backend_pod()
    {
        var rendered = TestPools.Render(TestPools.Minimal());

        rendered.Single<V1Service>("demo-headless").Spec.Selector.Should().NotContainKey("pod-template-hash");
    }
}
