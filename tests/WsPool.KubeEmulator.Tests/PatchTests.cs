using System.Net;
using static WsPool.KubeEmulator.Tests.Support;

namespace WsPool.KubeEmulator.Tests;

public sealed class PatchTests
{
    private static Task<KubeApiEmulator> StartAsync() => KubeApiEmulator.StartAsync(new EmulatorOptions { SimulateDeployments = false });

    [Fact]
    public async Task Merge_patch_merges_maps_and_null_removes_a_key()
    {
        await using var api = await StartAsync();
        var client = api.CreateClient();
        await client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("a", new() { ["x"] = "1", ["y"] = "2" }), "default");

        var patched = await client.CoreV1.PatchNamespacedConfigMapAsync(
            new V1Patch("""{"metadata":{"labels":{"x":null,"z":"3"}},"data":{"more":"yes"}}""", V1Patch.PatchType.MergePatch), "a", "default");

        patched.Metadata.Labels.Should().Equal(new Dictionary<string, string> { ["y"] = "2", ["z"] = "3" });
        patched.Data.Should().ContainKeys("key", "more");
    }

    [Fact]
    public async Task Merge_patch_with_a_stale_resource_version_is_409()
    {
        await using var api = await StartAsync();
        var client = api.CreateClient();
        var created = await client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("a"), "default");
        await client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("""{"data":{"k":"1"}}""", V1Patch.PatchType.MergePatch), "a", "default");

        var act = () => client.CoreV1.PatchNamespacedConfigMapAsync(
            new V1Patch("{\"metadata\":{\"resourceVersion\":\"" + created.Metadata.ResourceVersion + "\"},\"data\":{\"k\":\"2\"}}", V1Patch.PatchType.MergePatch), "a", "default");

        (await act.Should().ThrowAsync<HttpOperationException>()).Which.Response.StatusCode.Should().Be(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Json_patch_applies_operations_in_order()
    {
        await using var api = await StartAsync();
        var client = api.CreateClient();
        await client.AppsV1.CreateNamespacedDeploymentAsync(Deployment("web", replicas: 1), "default");

        var patched = await client.AppsV1.PatchNamespacedDeploymentAsync(new V1Patch("""
            [{"op":"test","path":"/spec/replicas","value":1},
             {"op":"replace","path":"/spec/replicas","value":3},
             {"op":"add","path":"/metadata/labels","value":{"a":"b"}},
             {"op":"copy","from":"/metadata/labels/a","path":"/metadata/labels/c"},
             {"op":"remove","path":"/metadata/labels/a"}]
            """, V1Patch.PatchType.JsonPatch), "web", "default");

        patched.Spec.Replicas.Should().Be(3);
        patched.Metadata.Labels.Should().Equal(new Dictionary<string, string> { ["c"] = "b" });
    }

    [Fact]
    public async Task A_failed_json_patch_test_operation_changes_nothing()
    {
        await using var api = await StartAsync();
        var client = api.CreateClient();
        await client.AppsV1.CreateNamespacedDeploymentAsync(Deployment("web", replicas: 1), "default");

        var act = () => client.AppsV1.PatchNamespacedDeploymentAsync(new V1Patch(
            """[{"op":"replace","path":"/spec/replicas","value":9},{"op":"test","path":"/spec/replicas","value":1}]""",
            V1Patch.PatchType.JsonPatch), "web", "default");

        (await act.Should().ThrowAsync<HttpOperationException>()).Which.Response.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        api.Store.Get<V1Deployment>("default", "web")!.Spec.Replicas.Should().Be(1);
    }

    [Fact]
    public async Task Strategic_merge_patch_merges_containers_by_name()
    {
        await using var api = await StartAsync();
        var client = api.CreateClient();
        await client.AppsV1.CreateNamespacedDeploymentAsync(Deployment("web", image: "nginx:1"), "default");

        var patched = await client.AppsV1.PatchNamespacedDeploymentAsync(new V1Patch("""
            {"spec":{"template":{"spec":{"containers":[
              {"name":"main","image":"nginx:2"},
              {"name":"sidecar","image":"envoy:1"}]}}}}
            """, V1Patch.PatchType.StrategicMergePatch), "web", "default");

        patched.Spec.Template.Spec.Containers.Select(c => (c.Name, c.Image)).Should().Equal(("main", "nginx:2"), ("sidecar", "envoy:1"));
    }

    [Fact]
    public async Task Strategic_merge_patch_delete_directive_removes_a_list_item()
    {
        await using var api = await StartAsync();
        var client = api.CreateClient();
        var d = Deployment("web");
        d.Spec.Template.Spec.Containers.Add(new V1Container { Name = "sidecar", Image = "envoy" });
        await client.AppsV1.CreateNamespacedDeploymentAsync(d, "default");

        var patched = await client.AppsV1.PatchNamespacedDeploymentAsync(new V1Patch(
            """{"spec":{"template":{"spec":{"containers":[{"name":"sidecar","$patch":"delete"}]}}}}""",
            V1Patch.PatchType.StrategicMergePatch), "web", "default");

        patched.Spec.Template.Spec.Containers.Select(c => c.Name).Should().Equal("main");
    }

    [Fact]
    public async Task Strategic_merge_patch_on_a_custom_resource_is_415()
    {
        await using var api = await StartAsync();
        var client = api.CreateClient();
        await client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(Crds.WebSocketPools());
        await client.CustomObjects.CreateNamespacedCustomObjectAsync(Crds.Pool.Named("p"), "wspool.dev", "v1alpha1", "default", "websocketpools");

        var act = () => client.CustomObjects.PatchNamespacedCustomObjectAsync(new V1Patch("""{"spec":{"replicas":2}}""", V1Patch.PatchType.StrategicMergePatch),
            "wspool.dev", "v1alpha1", "default", "websocketpools", "p");

        (await act.Should().ThrowAsync<HttpOperationException>()).Which.Response.StatusCode.Should().Be(HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task Patching_a_missing_object_is_404()
    {
        await using var api = await StartAsync();
        var client = api.CreateClient();

        var act = () => client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("{}", V1Patch.PatchType.MergePatch), "ghost", "default");

        (await act.Should().ThrowAsync<HttpOperationException>()).Which.Response.StatusCode.Should().Be(HttpStatusCode.NotFound);
    }
}
