using k8s;
using k8s.Models;
using WsPool.Install.Tests.Support;
using WsPool.KubeEmulator;

namespace WsPool.Install.Tests.Chart;

/// <summary>
/// The real helm 4 on the chart: it lints strictly, and the release it renders applies to the API emulator (which
/// serves the chart's core kinds; the real CRD server has none) with the CRD and the objects the operator runs with.
/// </summary>
public sealed class HelmInstallTests
{
    private const string Namespace = "wspool-system";

    [Fact]
    public async Task Helm_lint_strict_passes_with_nothing_to_report_but_the_icon()
    {
        var result = await Helm("lint", "--strict", Repo.Chart());

        result.ExitCode.Should().Be(0, result.ToString());
        result.Stdout.Split('\n').Where(l => l.StartsWith('[')).Should().BeEquivalentTo(["[INFO] Chart.yaml: icon is recommended"], result.ToString());
    }

    [Fact]
    public async Task The_release_helm_renders_applies_to_the_emulator_with_the_crd_the_rbac_and_the_operator_deployment()
    {
        await using var api = await KubeApiEmulator.StartAsync(new EmulatorOptions { Namespaces = ["default", "kube-system", Namespace] });
        var kubeconfig = Path.Combine(Path.GetTempPath(), $"wspool-helm-{Guid.NewGuid():N}.yaml");
        api.WriteKubeconfig(kubeconfig);
        try
        {
            // `helm install` itself cannot run here: helm validates the rendered objects against the OpenAPI of the
            // built-in kinds, which the emulator does not publish (and the real CRD server has no built-in kinds).
            // So helm renders the release and kubectl applies it, as `helm install` would create it.
            var template = await Helm("template", "wspool-operator", Repo.Chart(), "--namespace", Namespace, "--include-crds");
            template.ExitCode.Should().Be(0, template.ToString());
            var manifests = Path.Combine(Path.GetTempPath(), $"wspool-helm-{Guid.NewGuid():N}-release.yaml");
            await File.WriteAllTextAsync(manifests, template.Stdout);
            var result = await ToolRun.RunAsync(Tools.Path(Tools.Kubectl),
                ["--kubeconfig", kubeconfig, "apply", "--server-side", "--validate=false", "-f", manifests], TimeSpan.FromMinutes(1));
            File.Delete(manifests);
            result.ExitCode.Should().Be(0, result.ToString());
            using var client = api.CreateClient();
            (await client.ApiextensionsV1.ReadCustomResourceDefinitionAsync("websocketpools.wspool.dev")).Should().NotBeNull();
            var deployment = (await client.AppsV1.ListNamespacedDeploymentAsync(Namespace)).Items.Should().ContainSingle().Subject;
            deployment.Spec.Template.Spec.ServiceAccountName.Should().Be("wspool-operator");
            (await client.CoreV1.ReadNamespacedServiceAccountAsync("wspool-operator", Namespace)).Should().NotBeNull();
            var role = (await client.RbacAuthorizationV1.ListClusterRoleAsync()).Items.Should().ContainSingle(r => r.Metadata.Name.Contains("wspool")).Subject;
            Rbac.Permissions(role.Rules).Should().BeEquivalentTo(Rbac.Permissions(Rbac.ReferenceClusterRole().Rules),
                "the chart grants exactly what the operator's integration tests showed it needs");
            (await client.RbacAuthorizationV1.ListClusterRoleBindingAsync()).Items.Should().ContainSingle(b => b.RoleRef.Name == role.Metadata.Name)
                .Which.Subjects.Should().ContainSingle(s => s.Name == "wspool-operator" && s.NamespaceProperty == Namespace);
        }
        finally
        {
            File.Delete(kubeconfig);
        }
    }

    private static Task<ToolRun.Result> Helm(params string[] arguments) =>
        ToolRun.RunAsync(Tools.Path(Tools.Helm), arguments, TimeSpan.FromMinutes(2), workingDirectory: Repo.Root,
            // helm keeps its caches and config under HOME; keep this run's out of the user's.
            environment: new Dictionary<string, string> { ["HELM_CACHE_HOME"] = Path.Combine(Path.GetTempPath(), "wspool-helm-cache"), ["HELM_CONFIG_HOME"] = Path.Combine(Path.GetTempPath(), "wspool-helm-config"), ["HELM_DATA_HOME"] = Path.Combine(Path.GetTempPath(), "wspool-helm-data") });
}
