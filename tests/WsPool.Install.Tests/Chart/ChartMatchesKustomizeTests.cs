using k8s;
using k8s.Models;
using WsPool.Install.Tests.Kustomize;
using WsPool.Install.Tests.Support;

namespace WsPool.Install.Tests.Chart;

/// <summary>The Helm chart's Deployment and the kustomize install agree on security, probes and options.</summary>
public sealed class ChartMatchesKustomizeTests
{
    private static readonly string Template = File.ReadAllText(Repo.Chart("templates", "deployment.yaml"));

    [Fact]
    public async Task The_pod_security_context_is_the_same()
    {
        var chart = KubernetesYaml.Deserialize<V1PodSecurityContext>(TemplateBlocks.Block(Template, "securityContext:", 6), strict: true);
        var kustomize = (await KustomizeBuild.GetAsync()).Single<V1Deployment>().Spec.Template.Spec.SecurityContext;

        KubernetesJson.Serialize(chart).Should().Be(KubernetesJson.Serialize(kustomize));
    }

    [Fact]
    public async Task The_container_security_context_is_the_same()
    {
        var chart = KubernetesYaml.Deserialize<V1SecurityContext>(TemplateBlocks.Block(Template, "securityContext:", 10), strict: true);
        var kustomize = (await KustomizeBuild.GetAsync()).Operator.SecurityContext;

        KubernetesJson.Serialize(chart).Should().Be(KubernetesJson.Serialize(kustomize));
    }

    [Theory]
    [InlineData("livenessProbe:")]
    [InlineData("readinessProbe:")]
    public async Task The_probes_are_the_same(string probe)
    {
        var chart = KubernetesYaml.Deserialize<V1Probe>(TemplateBlocks.Block(Template, probe, 10), strict: true);
        var container = (await KustomizeBuild.GetAsync()).Operator;
        var kustomize = probe.StartsWith("liveness") ? container.LivenessProbe : container.ReadinessProbe;

        KubernetesJson.Serialize(chart).Should().Be(KubernetesJson.Serialize(kustomize));
    }

    [Fact]
    public async Task The_chart_passes_the_same_options_plus_the_watched_namespaces()
    {
        var kustomize = (await KustomizeBuild.GetAsync()).Operator.Args.Select(a => a[2..a.IndexOf('=')]);

        TemplateBlocks.ArgNames(Template).Should().BeEquivalentTo(kustomize.Append("namespaces"));
    }

    [Fact]
    public async Task The_scratch_volume_is_the_same()
    {
        var chart = KubernetesYaml.Deserialize<List<V1Volume>>(TemplateBlocks.Block(Template, "volumes:", 6), strict: true);
        var kustomize = (await KustomizeBuild.GetAsync()).Single<V1Deployment>().Spec.Template.Spec.Volumes;

        KubernetesJson.Serialize(chart).Should().Be(KubernetesJson.Serialize(kustomize));
    }
}
