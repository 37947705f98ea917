using System.Net;
using static WsPool.KubeEmulator.Tests.Support;

namespace WsPool.KubeEmulator.Tests;

public sealed class GenerationAndSubresourceTests
{
    private static Task<KubeApiEmulator> StartAsync() => KubeApiEmulator.StartAsync(new EmulatorOptions { SimulateDeployments = false });

    [Fact]
    public async Task Generation_grows_when_the_spec_changes()
    {
        await using var api = await StartAsync();
        var client = api.CreateClient();
        var d = await client.AppsV1.CreateNamespacedDeploymentAsync(Deployment("web", replicas: 1), "default");

        d.Spec.Replicas = 2;
        var updated = await client.AppsV1.ReplaceNamespacedDeploymentAsync(d, "web", "default");

        updated.Metadata.Generation.Should().Be(2);
    }

    [Fact]
    public async Task Generation_stays_when_only_metadata_changes()
    {
        await using var api = await StartAsync();
        var client = api.CreateClient();
        var d = await client.AppsV1.CreateNamespacedDeploymentAsync(Deployment("web"), "default");

        d.Metadata.Labels = new Dictionary<string, string> { ["new"] = "label" };
        var updated = await client.AppsV1.ReplaceNamespacedDeploymentAsync(d, "web", "default");

        updated.Metadata.Generation.Should().Be(1);
        updated.Metadata.ResourceVersion.Should().NotBe(d.Metadata.ResourceVersion);
    }

    [Fact]
    public async Task Generation_stays_when_the_status_changes()
    {
        await using var api = await StartAsync();
        var client = api.CreateClient();
        var d = await client.AppsV1.CreateNamespacedDeploymentAsync(Deployment("web"), "default");

        d.Status = new V1DeploymentStatus { ReadyReplicas = 1, ObservedGeneration = 1 };
        var updated = await client.AppsV1.ReplaceNamespacedDeploymentStatusAsync(d, "web", "default");

        updated.Metadata.Generation.Should().Be(1);
        updated.Status.ReadyReplicas.Should().Be(1);
    }

    [Fact]
    public async Task A_status_write_changes_only_the_status()
    {
        await using var api = await StartAsync();
        var client = api.CreateClient();
        var d = await client.AppsV1.CreateNamespacedDeploymentAsync(Deployment("web", replicas: 1), "default");

        d.Spec.Replicas = 7;
        d.Status = new V1DeploymentStatus { Replicas = 1 };
        var updated = await client.AppsV1.ReplaceNamespacedDeploymentStatusAsync(d, "web", "default");

        updated.Spec.Replicas.Should().Be(1);
        updated.Status.Replicas.Should().Be(1);
    }

    [Fact]
    public async Task A_main_resource_write_ignores_the_status()
    {
        await using var api = await StartAsync();
        var client = api.CreateClient();
        var d = Deployment("web");
        d.Status = new V1DeploymentStatus { ReadyReplicas = 5 };

        var created = await client.AppsV1.CreateNamespacedDeploymentAsync(d, "default");
        var createdStatus = created.Status?.ReadyReplicas;
        created.Status = new V1DeploymentStatus { ReadyReplicas = 9 };
        var updated = await client.AppsV1.ReplaceNamespacedDeploymentAsync(created, "web", "default");

        createdStatus.Should().BeNull("create drops the status of a kind with a status subresource");
        updated.Status?.ReadyReplicas.Should().BeNull("an update of the main resource keeps the stored status");
    }

    [Fact]
    public async Task Custom_resource_status_patch_through_the_status_subresource()
    {
        await using var api = await StartAsync();
        var client = api.CreateClient();
        await client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(Crds.WebSocketPools());
        await client.CustomObjects.CreateNamespacedCustomObjectAsync(Crds.Pool.Named("p"), "wspool.dev", "v1alpha1", "default", "websocketpools");

        await client.CustomObjects.PatchNamespacedCustomObjectStatusAsync(
            new V1Patch("""{"status":{"observedGeneration":1,"replicas":1},"spec":{"replicas":50}}""", V1Patch.PatchType.MergePatch),
            "wspool.dev", "v1alpha1", "default", "websocketpools", "p");

        var pool = api.Store.Get<Crds.Pool>("default", "p")!;
        pool.Status!.ObservedGeneration.Should().Be(1);
        pool.Spec.Replicas.Should().Be(1);
        pool.Metadata.Generation.Should().Be(1);
    }

    [Fact]
    public async Task Custom_resource_status_apply_records_a_status_manager()
    {
        await using var api = await StartAsync();
        var client = api.CreateClient();
        await client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(Crds.WebSocketPools());
        await client.CustomObjects.CreateNamespacedCustomObjectAsync(Crds.Pool.Named("p"), "wspool.dev", "v1alpha1", "default", "websocketpools");
        var status = new Crds.Pool { Metadata = new V1ObjectMeta { Name = "p" }, Spec = null!, Status = new Crds.PoolStatus { Replicas = 3 } };

        await client.CustomObjects.PatchNamespacedCustomObjectStatusAsync(new V1Patch(status, V1Patch.PatchType.ApplyPatch),
            "wspool.dev", "v1alpha1", "default", "websocketpools", "p", fieldManager: "wspool-operator", force: true);

        var pool = api.Store.Get<Crds.Pool>("default", "p")!;
        pool.Status!.Replicas.Should().Be(3);
        pool.Metadata.ManagedFields.Should().Contain(m => m.Manager == "wspool-operator" && m.Subresource == "status");
    }

    [Fact]
    public async Task Deployment_scale_subresource_reads_and_writes_spec_replicas()
    {
        await using var api = await StartAsync();
        var client = api.CreateClient();
        await client.AppsV1.CreateNamespacedDeploymentAsync(Deployment("web", replicas: 2), "default");

        var scale = await client.AppsV1.ReadNamespacedDeploymentScaleAsync("web", "default");
        scale.Spec.Replicas = 4;
        var written = await client.AppsV1.ReplaceNamespacedDeploymentScaleAsync(scale, "web", "default");

        scale.Status.Selector.Should().Be("app=web");
        written.Spec.Replicas.Should().Be(4);
        var d = api.Store.Get<V1Deployment>("default", "web")!;
        d.Spec.Replicas.Should().Be(4);
        d.Metadata.Generation.Should().Be(2);
    }

    [Fact]
    public async Task Deployment_scale_patch_changes_replicas()
    {
        await using var api = await StartAsync();
        var client = api.CreateClient();
        await client.AppsV1.CreateNamespacedDeploymentAsync(Deployment("web", replicas: 2), "default");

        var scale = await client.AppsV1.PatchNamespacedDeploymentScaleAsync(new V1Patch("""{"spec":{"replicas":6}}""", V1Patch.PatchType.MergePatch), "web", "default");

        scale.Spec.Replicas.Should().Be(6);
        api.Store.Get<V1Deployment>("default", "web")!.Spec.Replicas.Should().Be(6);
    }

    [Fact]
    public async Task Scale_with_a_stale_resource_version_is_409()
    {
        await using var api = await StartAsync();
        var client = api.CreateClient();
        await client.AppsV1.CreateNamespacedDeploymentAsync(Deployment("web", replicas: 2), "default");
        var scale = await client.AppsV1.ReadNamespacedDeploymentScaleAsync("web", "default");
        await client.AppsV1.PatchNamespacedDeploymentAsync(new V1Patch("""{"metadata":{"labels":{"x":"y"}}}""", V1Patch.PatchType.MergePatch), "web", "default");

        scale.Spec.Replicas = 3;
        var act = () => client.AppsV1.ReplaceNamespacedDeploymentScaleAsync(scale, "web", "default");

        (await act.Should().ThrowAsync<HttpOperationException>()).Which.Response.StatusCode.Should().Be(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Custom_resource_scale_uses_the_crd_replica_and_selector_paths()
    {
        await using var api = await StartAsync();
        var client = api.CreateClient();
        await client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(Crds.WebSocketPools());
        await client.CustomObjects.CreateNamespacedCustomObjectAsync(Crds.Pool.Named("p", replicas: 2), "wspool.dev", "v1alpha1", "default", "websocketpools");
        await client.CustomObjects.PatchNamespacedCustomObjectStatusAsync(
            new V1Patch("""{"status":{"replicas":2,"selector":"app=p"}}""", V1Patch.PatchType.MergePatch), "wspool.dev", "v1alpha1", "default", "websocketpools", "p");

        await client.CustomObjects.PatchNamespacedCustomObjectScaleAsync(new V1Patch("""{"spec":{"replicas":5}}""", V1Patch.PatchType.MergePatch),
            "wspool.dev", "v1alpha1", "default", "websocketpools", "p");
        var scale = KubernetesJson.Deserialize<V1Scale>(KubernetesJson.Serialize(
            await client.CustomObjects.GetNamespacedCustomObjectScaleAsync("wspool.dev", "v1alpha1", "default", "websocketpools", "p")));

        scale.Spec.Replicas.Should().Be(5);
        scale.Status.Replicas.Should().Be(2);
        scale.Status.Selector.Should().Be("app=p");
        api.Store.Get<Crds.Pool>("default", "p")!.Spec.Replicas.Should().Be(5);
    }

    [Fact]
    public async Task A_kind_without_a_scale_subresource_answers_404_for_scale()
    {
        await using var api = await StartAsync();
        var client = api.CreateClient();
        await client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("a"), "default");

        var act = () => client.CustomObjects.GetNamespacedCustomObjectScaleAsync("", "v1", "default", "configmaps", "a");

        (await act.Should().ThrowAsync<HttpOperationException>()).Which.Response.StatusCode.Should().Be(HttpStatusCode.NotFound);
    }
}
