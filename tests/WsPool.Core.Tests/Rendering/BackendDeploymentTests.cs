using k8s.Models;
using WsPool.Core.Intent;
using WsPool.Core.Rendering;

namespace WsPool.Core.Tests.Rendering;

public class BackendDeploymentTests
{
    [Fact]
    public void The_deployment_is_named_for_the_pool_in_its_namespace_with_the_backend_labels()
    {
        var backend = TestPools.Render(TestPools.Minimal()).Backend();

        backend.ApiVersion.Should().Be("apps/v1");
        backend.Kind.Should().Be("Deployment");
        backend.Metadata.Name.Should().Be("demo");
        backend.Metadata.NamespaceProperty.Should().Be("apps");
        backend.Metadata.Labels.Should().Equal(PoolLabels.For("demo", PoolLabels.BackendComponent));
    }

    [Fact]
    public void The_selector_is_the_stable_backend_selector_and_the_pod_labels_match_it()
    {
        var backend = TestPools.Render(TestPools.Minimal()).Backend();

        backend.Spec.Selector.MatchLabels.Should().Equal(PoolLabels.Selector("demo", PoolLabels.BackendComponent));
        backend.Spec.Template.Metadata.Labels.Should().Contain(backend.Spec.Selector.MatchLabels);
    }

    [Fact]
    public void The_users_pod_labels_are_kept_and_wspools_labels_win_a_conflict()
    {
        var pool = TestPools.Minimal(p => p.Spec.Template.Metadata = new V1ObjectMeta
        {
            Labels = new Dictionary<string, string> { ["team"] = "realtime", [PoolLabels.Component] = "web" },
            Annotations = new Dictionary<string, string> { ["prometheus.io/scrape"] = "true" },
        });

        var template = TestPools.Render(pool).Backend().Spec.Template;

        template.Metadata.Labels.Should().Contain("team", "realtime");
        template.Metadata.Labels.Should().Contain(PoolLabels.Component, PoolLabels.BackendComponent);
        template.Metadata.Annotations.Should().Contain("prometheus.io/scrape", "true");
    }

    [Fact]
    public void The_users_pod_spec_is_carried_over()
    {
        var pool = TestPools.Minimal(p =>
        {
            p.Spec.Template.Spec.ServiceAccountName = "chat";
            p.Spec.Template.Spec.Containers[0].Args = new List<string> { "--verbose" };
        });

        var pod = TestPools.Render(pool).Backend().Spec.Template.Spec;

        pod.ServiceAccountName.Should().Be("chat");
        pod.Containers.Single().Args.Should().Equal("--verbose");
        pod.Containers.Single().Image.Should().Be("example/app:1");
    }

    [Fact]
    public void Without_autoscaling_replicas_follow_spec_replicas()
    {
        var pool = TestPools.Minimal(p =>
        {
            p.Spec.MinReplicas = 2;
            p.Spec.Replicas = 5;
        });

        TestPools.Render(pool).Backend().Spec.Replicas.Should().Be(5);
    }

    [Fact]
    public void Without_autoscaling_and_without_spec_replicas_the_pool_runs_min_replicas()
    {
        var pool = TestPools.Minimal(p => p.Spec.MinReplicas = 3);

        TestPools.Render(pool).Backend().Spec.Replicas.Should().Be(3);
    }

    [Fact]
    public void With_autoscaling_the_pool_starts_at_min_replicas_whatever_spec_replicas_says()
    {
        var pool = TestPools.Minimal(p =>
        {
            p.Spec.Scaling.Enabled = true;
            p.Spec.MinReplicas = 2;
            p.Spec.Replicas = 6;
        });

        TestPools.Render(pool).Backend().Spec.Replicas.Should().Be(2);
    }

    [Fact]
    public void With_autoscaling_the_backend_replicas_option_sets_the_replicas()
    {
        var pool = TestPools.Minimal(p =>
        {
            p.Spec.Scaling.Enabled = true;
            p.Spec.MinReplicas = 2;
            p.Spec.MaxReplicas = 10;
            p.Spec.Replicas = 6;
        });

        TestPools.Render(pool, new RenderOptions { BackendReplicas = 7 }).Backend().Spec.Replicas.Should().Be(7);
    }

    [Theory]
    [InlineData(0, 2)]
    [InlineData(1, 2)]
    [InlineData(11, 10)]
    [InlineData(500, 10)]
    public void With_autoscaling_the_backend_replicas_option_is_clamped_to_min_and_max(int decided, int rendered)
    {
        var pool = TestPools.Minimal(p =>
        {
            p.Spec.Scaling.Enabled = true;
            p.Spec.MinReplicas = 2;
            p.Spec.MaxReplicas = 10;
        });

        TestPools.Render(pool, new RenderOptions { BackendReplicas = decided }).Backend().Spec.Replicas.Should().Be(rendered);
    }

    [Fact]
    public void Without_autoscaling_the_backend_replicas_option_is_ignored_and_spec_replicas_rules()
    {
        var pool = TestPools.Minimal(p =>
        {
            p.Spec.MinReplicas = 2;
            p.Spec.Replicas = 5;
        });

        TestPools.Render(pool, new RenderOptions { BackendReplicas = 9 }).Backend().Spec.Replicas.Should().Be(5,
            "with scaling off the user (and kubectl scale, through spec.replicas) owns the replicas");
    }

    [Fact]
    public void The_backend_replicas_option_changes_nothing_but_the_backend_replicas()
    {
        var pool = TestPools.Minimal(p =>
        {
            p.Spec.Scaling.Enabled = true;
            p.Spec.MinReplicas = 2;
            p.Spec.MaxReplicas = 10;
        });

        var plain = ManifestWriter.ToYaml(TestPools.Render(pool).Objects);
        var scaled = TestPools.Render(pool, new RenderOptions { BackendReplicas = 7 });
        scaled.Backend().Spec.Replicas.Should().Be(7);
        scaled.Backend().Spec.Replicas = 2;

        ManifestWriter.ToYaml(scaled.Objects).Should().Be(plain, "only the replicas differ from what `wspool render` shows");
    }

    [Fact]
    public void A_pool_without_optional_parts_renders_without_throwing()
    {
        var pool = TestPools.Minimal(p =>
        {
            p.Spec.Template = new V1PodTemplateSpec();
            p.Spec.Broker.External = null;
            p.Spec.Broker.Type = Api.BrokerType.External;
            p.Spec.Port = "missing";
        });

        // The renderers of this folder, not the balancer's: a managed balancer has nothing to route to here.
        BackendDeploymentRenderer.Render(pool).Spec.Template.Spec.Containers.Should().BeEmpty();
        BackendServicesRenderer.RenderClusterIp(pool).Spec.Ports.Single().Port.Should().Be(BackendPort.Fallback);
    }
}

public class MissingPartsTests
{
    [Fact]
    public void A_pool_whose_optional_sections_are_null_still_renders_with_defaults()
    {
        // What `drain: null` and friends in YAML produce: the C# initialisers do not run for explicit nulls.
        var pool = TestPools.Minimal(p =>
        {
            p.Spec.Drain = null!;
            p.Spec.Connections = null!;
            p.Spec.Scaling = null!;
            p.Spec.Broker = null!;
            p.Spec.Path = null!;
            p.Spec.Port = null!;
            p.Spec.Template.Metadata = null;
            p.Spec.Template.Spec.Containers[0].Env = null;
        });

        var backend = BackendDeploymentRenderer.Render(pool);

        backend.Spec.Template.Spec.TerminationGracePeriodSeconds.Should().Be(5 + 60 + 10);
        backend.Container("app").Env(BackendEnv.ConnectionLimit).Value.Should().Be("2000");
        backend.Container("app").Env(BackendEnv.WsPath).Value.Should().Be("/ws");
    }

    [Fact]
    public void A_pool_without_spec_or_metadata_renders_its_core_objects_without_throwing()
    {
        var pool = new Api.WebSocketPool { Metadata = null!, Spec = null! };

        var act = () => new object?[]
        {
            BackendDeploymentRenderer.Render(pool),
            BackendServicesRenderer.RenderClusterIp(pool),
            BackendServicesRenderer.RenderHeadless(pool),
            DisruptionBudgetRenderer.Render(pool),
            BrokerRenderer.Render(pool, new RenderOptions()),
        };

        act.Should().NotThrow();
    }

    [Fact]
    public void The_template_hash_annotation_changes_with_the_pod_template_and_not_with_the_replicas()
    {
        static string? Hash(PoolIntent intent) => intent.Backend().Metadata.Annotations[PodTemplateRevision.Annotation];
        var pool = TestPools.Minimal();

        var before = Hash(TestPools.Render(pool));
        var scaled = Hash(TestPools.Render(TestPools.Minimal(p => p.Spec.Replicas = 5)));
        var changed = Hash(TestPools.Render(TestPools.Minimal(p => p.Spec.Template.Spec.Containers[0].Image = "chat:2")));

        scaled.Should().Be(before);
        changed.Should().NotBe(before);
        TestPools.Render(pool).Backend().Spec.Template.Metadata.Annotations?.Keys.Should().NotContain(PodTemplateRevision.Annotation,
            "on the Deployment only: adding it must not restart any pod");
    }
}
