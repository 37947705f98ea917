using k8s;
using k8s.Models;
using Microsoft.Extensions.Configuration;
using WsPool.Install.Tests.Support;
using WsPool.Operator.Hosting;

namespace WsPool.Install.Tests.Kustomize;

/// <summary>The full install without Helm: what `kubectl apply -k charts/kustomize` would create.</summary>
public sealed class KustomizeInstallTests
{
    [Fact]
    public async Task It_renders_the_namespace_crd_rbac_and_operator_deployment()
    {
        var build = await KustomizeBuild.GetAsync();

        build.Objects.Select(o => o.GetType().Name).Should().BeEquivalentTo(
            "V1Namespace", "V1CustomResourceDefinition", "V1ServiceAccount", "V1ClusterRole", "V1ClusterRoleBinding",
            "V1Service", "V1Deployment", "V1PodDisruptionBudget");
    }

    [Fact]
    public async Task Every_namespaced_object_lands_in_the_operator_namespace()
    {
        var build = await KustomizeBuild.GetAsync();
        var ns = build.Single<V1Namespace>().Metadata.Name;

        build.Objects.OfType<IMetadata<V1ObjectMeta>>()
            .Where(o => o is not (V1Namespace or V1CustomResourceDefinition or V1ClusterRole or V1ClusterRoleBinding))
            .Should().OnlyContain(o => o.Metadata.NamespaceProperty == ns);
        build.Single<V1ClusterRoleBinding>().Subjects.Should().ContainSingle(s => s.NamespaceProperty == ns && s.Name == "wspool-operator");
    }

    [Fact]
    public async Task The_crd_is_the_top_level_crd()
    {
        var build = await KustomizeBuild.GetAsync();
        var reference = KubernetesYaml.Deserialize<V1CustomResourceDefinition>(Repo.Read("crds", "websocketpools.wspool.dev.yaml"), strict: true);

        KubernetesJson.Serialize(build.Single<V1CustomResourceDefinition>().Spec).Should().Be(KubernetesJson.Serialize(reference.Spec));
    }

    [Fact]
    public async Task The_clusterrole_grants_exactly_the_operator_rbac_rules()
    {
        var build = await KustomizeBuild.GetAsync();

        Rbac.Permissions(build.Single<V1ClusterRole>().Rules).Should().Equal(Rbac.Permissions(Rbac.ReferenceClusterRole().Rules));
    }

    [Fact]
    public void The_kustomize_rbac_file_is_a_copy_of_the_crds_rbac_file()
    {
        Repo.Read("charts", "kustomize", "operator-rbac.yaml").Should().Be(Repo.Read("crds", "operator-rbac.yaml"));
    }

    [Fact]
    public async Task The_pod_meets_the_restricted_pod_security_standard()
    {
        var build = await KustomizeBuild.GetAsync();
        var pod = build.Single<V1Deployment>().Spec.Template.Spec;
        var container = build.Operator.SecurityContext;

        pod.SecurityContext.RunAsNonRoot.Should().BeTrue();
        pod.SecurityContext.SeccompProfile.Type.Should().Be("RuntimeDefault");
        container.AllowPrivilegeEscalation.Should().BeFalse();
        container.ReadOnlyRootFilesystem.Should().BeTrue();
        container.RunAsNonRoot.Should().BeTrue();
        container.Capabilities.Drop.Should().Equal("ALL");
        container.Capabilities.Add.Should().BeNullOrEmpty();
        pod.HostNetwork.Should().NotBe(true);
        build.Single<V1Namespace>().Metadata.Labels["pod-security.kubernetes.io/enforce"].Should().Be("restricted");
    }

    [Fact]
    public async Task Two_replicas_run_with_leader_election_and_the_lease_namespace_from_the_downward_api()
    {
        var build = await KustomizeBuild.GetAsync();
        var options = OptionsFrom(build.Operator.Args);

        build.Single<V1Deployment>().Spec.Replicas.Should().Be(2);
        options.LeaderElection.Should().BeTrue();
        build.Operator.Env.Should().ContainSingle(e => e.Name == "POD_NAMESPACE")
            .Which.ValueFrom.FieldRef.FieldPath.Should().Be("metadata.namespace");
    }

    [Fact]
    public async Task The_probes_and_ports_are_the_ones_the_operator_serves()
    {
        var build = await KustomizeBuild.GetAsync();
        var container = build.Operator;
        var options = OptionsFrom(container.Args);
        var health = container.Ports.Single(p => p.Name == "health");
        var metrics = container.Ports.Single(p => p.Name == "metrics");

        container.LivenessProbe.HttpGet.Path.Should().Be("/healthz");
        container.ReadinessProbe.HttpGet.Path.Should().Be("/readyz");
        container.LivenessProbe.HttpGet.Port.Value.Should().Be("health");
        container.ReadinessProbe.HttpGet.Port.Value.Should().Be("health");
        health.ContainerPort.Should().Be(options.HealthPort);
        metrics.ContainerPort.Should().Be(options.MetricsPort);
        build.Single<V1Service>().Spec.Ports.Single().TargetPort.Value.Should().Be("metrics");
    }

    [Fact]
    public async Task Every_argument_is_an_option_the_operator_accepts()
    {
        var build = await KustomizeBuild.GetAsync();

        var act = () => OptionsFrom(build.Operator.Args);

        act.Should().NotThrow();
        build.Operator.Args.Should().OnlyContain(a => a.StartsWith("--") && a.Contains('='));
    }

    [Fact]
    public async Task Resources_are_requested_and_memory_is_limited()
    {
        var build = await KustomizeBuild.GetAsync();

        build.Operator.Resources.Requests.Should().ContainKeys("cpu", "memory");
        build.Operator.Resources.Limits.Should().ContainKey("memory");
    }

    [Fact]
    public async Task The_pod_uses_the_service_account_the_clusterrole_is_bound_to()
    {
        var build = await KustomizeBuild.GetAsync();

        build.Single<V1Deployment>().Spec.Template.Spec.ServiceAccountName.Should().Be(build.Single<V1ServiceAccount>().Metadata.Name);
        build.Single<V1ClusterRoleBinding>().RoleRef.Name.Should().Be(build.Single<V1ClusterRole>().Metadata.Name);
    }

    internal static OperatorOptions OptionsFrom(IEnumerable<string> args) =>
        OperatorOptions.From(new ConfigurationBuilder().AddCommandLine(args.ToArray()).Build());
}
