using WsPool.Testing;
using static WsPool.KubeEmulator.Tests.Support;

namespace WsPool.KubeEmulator.Tests;

/// <summary>The parts of the emulator made for operator tests: request log, stand-in Deployment controller, kubeconfig.</summary>
public sealed class HarnessTests
{
    [Fact]
    public async Task Requests_are_recorded_with_verb_resource_names_code_user_agent_and_field_manager()
    {
        await using var api = await KubeApiEmulator.StartAsync(new EmulatorOptions { SimulateDeployments = false });
        var client = api.CreateClient(userAgent: "wspool-operator/0.1.0");

        await client.AppsV1.PatchNamespacedDeploymentAsync(new V1Patch(Deployment("web"), V1Patch.PatchType.ApplyPatch), "web", "default",
            fieldManager: "wspool-operator", force: true);
        await client.AppsV1.ReadNamespacedDeploymentStatusAsync("web", "default");

        var patch = api.Requests.Where(r => r.Verb == "patch").Should().ContainSingle().Subject;
        (patch.ApiGroup, patch.Version, patch.Resource, patch.Namespace, patch.Name).Should().Be(("apps", "v1", "deployments", "default", "web"));
        patch.StatusCode.Should().Be(201);
        patch.UserAgent.Should().Be("wspool-operator/0.1.0");
        patch.FieldManager.Should().Be("wspool-operator");
        patch.IsWrite.Should().BeTrue();
        api.Requests.Where(r => r.Verb == "get").Should().ContainSingle().Which.Subresource.Should().Be("status");
    }

    [Fact]
    public async Task An_update_without_field_manager_is_owned_by_the_user_agent_name()
    {
        await using var api = await KubeApiEmulator.StartAsync();
        var client = api.CreateClient(userAgent: "kubectl/v1.32.4 (linux/amd64)");

        var created = await client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("a"), "default");

        created.Metadata.ManagedFields.Should().ContainSingle().Which.Manager.Should().Be("kubectl");
    }

    [Fact]
    public async Task The_stand_in_deployment_controller_reports_every_replica_ready_for_the_current_generation()
    {
        await using var api = await KubeApiEmulator.StartAsync();
        var client = api.CreateClient();
        await client.AppsV1.CreateNamespacedDeploymentAsync(Deployment("web", replicas: 3), "default");

        await Eventually.ValueAsync(() => client.AppsV1.ReadNamespacedDeploymentAsync("web", "default"),
            d => d.Status?.ReadyReplicas == 3 && d.Status.ObservedGeneration == d.Metadata.Generation
                && d.Status.Conditions.Any(c => c.Type == "Available" && c.Status == "True"),
            "the deployment is ready", Wait, d => $"generation {d.Metadata.Generation}, status {KubernetesJson.Serialize(d.Status)}");
    }

    [Fact]
    public async Task With_the_deployment_controller_off_a_deployment_stays_unready()
    {
        await using var api = await KubeApiEmulator.StartAsync();
        api.Deployments.Enabled = false;
        var client = api.CreateClient();

        await client.AppsV1.CreateNamespacedDeploymentAsync(Deployment("web", replicas: 3), "default");
        await api.WaitForControllersIdleAsync();

        (await client.AppsV1.ReadNamespacedDeploymentAsync("web", "default")).Status?.ReadyReplicas.Should().BeNull();
    }

    [Fact]
    public async Task KubernetesClient_accepts_the_written_kubeconfig()
    {
        await using var api = await KubeApiEmulator.StartAsync();
        var kubeconfig = Path.Combine(Path.GetTempPath(), $"wspool-emulator-{Guid.NewGuid():N}.kubeconfig");
        try
        {
            api.WriteKubeconfig(kubeconfig);
            using var client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig));

            var namespaces = await client.CoreV1.ListNamespaceAsync();

            namespaces.Items.Should().Contain(n => n.Metadata.Name == "default");
        }
        finally
        {
            File.Delete(kubeconfig);
        }
    }

    [Fact]
    public async Task Kubectl_reads_and_server_side_applies_through_the_kubeconfig()
    {
        await using var api = await KubeApiEmulator.StartAsync();
        var dir = Directory.CreateTempSubdirectory("wspool-emulator-");
        try
        {
            var kubeconfig = Path.Combine(dir.FullName, "config");
            api.WriteKubeconfig(kubeconfig);
            var manifest = Path.Combine(dir.FullName, "cm.yaml");
            await File.WriteAllTextAsync(manifest, "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: from-kubectl\ndata:\n  a: b\n");

            var apply = await Kubectl(kubeconfig, "apply", "--server-side", "--validate=false", "-f", manifest);
            var get = await Kubectl(kubeconfig, "get", "configmap", "from-kubectl", "-o", "jsonpath={.data.a}");

            apply.Should().Contain("serverside-applied");
            get.Should().Be("b");
            api.Store.Get<V1ConfigMap>("default", "from-kubectl")!.Metadata.ManagedFields.Should().Contain(m => m.Manager == "kubectl" && m.Operation == "Apply");
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private static async Task<string> Kubectl(string kubeconfig, params string[] args)
    {
        await using var process = ManagedProcess.Start(Tools.Path(Tools.Kubectl), ["--kubeconfig", kubeconfig, "--request-timeout=10s", .. args]);
        // The wait covers the end of kubectl's output too, so Output is complete here.
        (await process.WaitForExitAsync(Wait)).Should().BeTrue("kubectl finishes");
        process.ExitCode.Should().Be(0, process.Output);
        return process.Output.Trim();
    }
}
