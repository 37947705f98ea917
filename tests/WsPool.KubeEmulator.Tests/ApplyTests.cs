using System.Net;
using System.Text.Json.Nodes;
using static WsPool.KubeEmulator.Tests.Support;

namespace WsPool.KubeEmulator.Tests;

/// <summary>Server-side apply through PatchNamespacedXAsync with V1Patch.PatchType.ApplyPatch.</summary>
public sealed class ApplyTests
{
    /// <summary>Without the stand-in Deployment controller, so only the managers under test write.</summary>
    private static Task<KubeApiEmulator> StartAsync() => KubeApiEmulator.StartAsync(new EmulatorOptions { SimulateDeployments = false });

    private static Task<V1Deployment> Apply(Kubernetes client, V1Deployment d, string manager, bool? force = null) =>
        client.AppsV1.PatchNamespacedDeploymentAsync(new V1Patch(d, V1Patch.PatchType.ApplyPatch), d.Metadata.Name, "default",
            fieldManager: manager, force: force);

    [Fact]
    public async Task Apply_creates_the_object_when_it_is_missing_and_records_the_manager()
    {
        await using var api = await StartAsync();
        var client = api.CreateClient();

        var applied = await Apply(client, Deployment("web"), "wspool-operator");

        applied.Metadata.Uid.Should().NotBeNullOrEmpty();
        var entry = applied.Metadata.ManagedFields.Should().ContainSingle().Subject;
        entry.Manager.Should().Be("wspool-operator");
        entry.Operation.Should().Be("Apply");
        entry.FieldsType.Should().Be("FieldsV1");
        var fields = JsonNode.Parse(KubernetesJson.Serialize(entry.FieldsV1))!;
        fields["f:spec"]!["f:replicas"].Should().NotBeNull();
        fields["f:spec"]!["f:template"]!["f:spec"]!["f:containers"]!["k:{\"name\":\"main\"}"]!["f:image"].Should().NotBeNull();
    }

    [Fact]
    public async Task Apply_without_force_conflicts_with_another_managers_field_and_names_both()
    {
        await using var api = await StartAsync();
        var client = api.CreateClient();
        await Apply(client, Deployment("web", replicas: 2), "first");

        var act = () => Apply(client, Deployment("web", replicas: 5), "second");

        var error = (await act.Should().ThrowAsync<HttpOperationException>()).Which;
        error.Response.StatusCode.Should().Be(HttpStatusCode.Conflict);
        var status = KubernetesJson.Deserialize<V1Status>(error.Response.Content);
        status.Reason.Should().Be("Conflict");
        status.Message.Should().Contain("conflict with \"first\"").And.Contain(".spec.replicas");
        status.Details.Causes.Should().Contain(c => c.Field == ".spec.replicas" && c.Reason == "FieldManagerConflict");
        (await client.AppsV1.ReadNamespacedDeploymentAsync("web", "default")).Spec.Replicas.Should().Be(2);
    }

    [Fact]
    public async Task Apply_with_force_takes_the_field_from_the_other_manager()
    {
        await using var api = await StartAsync();
        var client = api.CreateClient();
        await Apply(client, Deployment("web", replicas: 2), "first");

        var result = await Apply(client, Deployment("web", replicas: 5), "second", force: true);

        result.Spec.Replicas.Should().Be(5);
        var first = result.Metadata.ManagedFields.Single(m => m.Manager == "first");
        KubernetesJson.Serialize(first.FieldsV1).Should().NotContain("f:replicas");
        KubernetesJson.Serialize(result.Metadata.ManagedFields.Single(m => m.Manager == "second").FieldsV1).Should().Contain("f:replicas");
    }

    [Fact]
    public async Task Applying_the_same_value_as_another_manager_shares_ownership_without_conflict()
    {
        await using var api = await StartAsync();
        var client = api.CreateClient();
        await Apply(client, Deployment("web", replicas: 2), "first");

        var result = await Apply(client, Deployment("web", replicas: 2), "second");

        result.Metadata.ManagedFields.Select(m => m.Manager).Should().BeEquivalentTo("first", "second");
    }

    [Fact]
    public async Task A_field_the_manager_stops_applying_is_removed_when_nobody_else_owns_it()
    {
        await using var api = await StartAsync();
        var client = api.CreateClient();
        var withLabel = Deployment("web");
        withLabel.Metadata.Labels = new Dictionary<string, string> { ["tier"] = "backend", ["keep"] = "yes" };
        await Apply(client, withLabel, "op");

        var without = Deployment("web");
        without.Metadata.Labels = new Dictionary<string, string> { ["keep"] = "yes" };
        var result = await Apply(client, without, "op");

        result.Metadata.Labels.Should().Equal(new Dictionary<string, string> { ["keep"] = "yes" });
    }

    [Fact]
    public async Task A_field_the_manager_stops_applying_stays_when_another_manager_also_owns_it()
    {
        await using var api = await StartAsync();
        var client = api.CreateClient();
        var withLabel = Deployment("web");
        withLabel.Metadata.Labels = new Dictionary<string, string> { ["tier"] = "backend" };
        await Apply(client, withLabel, "op");
        await Apply(client, withLabel, "other");

        var result = await Apply(client, Deployment("web"), "op");

        result.Metadata.Labels.Should().ContainKey("tier");
    }

    [Fact]
    public async Task Reapplying_the_same_configuration_is_a_no_op_that_keeps_the_resource_version()
    {
        await using var api = await StartAsync();
        var client = api.CreateClient();
        var first = await Apply(client, Deployment("web"), "op");

        var second = await Apply(client, Deployment("web"), "op");

        second.Metadata.ResourceVersion.Should().Be(first.Metadata.ResourceVersion);
    }

    [Fact]
    public async Task Apply_merges_containers_by_name_with_fields_from_another_manager()
    {
        await using var api = await StartAsync();
        var client = api.CreateClient();
        await Apply(client, Deployment("web"), "op");
        var sidecar = Deployment("web");
        sidecar.Spec = new V1DeploymentSpec
        {
            Selector = sidecar.Spec.Selector,
            Template = new V1PodTemplateSpec { Spec = new V1PodSpec { Containers = [new V1Container { Name = "sidecar", Image = "envoy" }] } },
        };

        var result = await Apply(client, sidecar, "mesh");

        result.Spec.Template.Spec.Containers.Select(c => c.Name).Should().Equal("main", "sidecar");
    }

    [Fact]
    public async Task Apply_conflicts_with_a_field_set_by_an_update_from_another_manager()
    {
        await using var api = await StartAsync();
        var client = api.CreateClient();
        await Apply(client, Deployment("web", image: "nginx:1"), "op");
        var live = await client.AppsV1.ReadNamespacedDeploymentAsync("web", "default");
        live.Spec.Template.Spec.Containers[0].Image = "nginx:hotfix";
        await client.AppsV1.ReplaceNamespacedDeploymentAsync(live, "web", "default", fieldManager: "kubectl-edit");

        var act = () => Apply(client, Deployment("web", image: "nginx:2"), "op");

        (await act.Should().ThrowAsync<HttpOperationException>()).Which.Response.Content.Should().Contain("kubectl-edit");
    }

    [Fact]
    public async Task Apply_to_a_custom_resource_merges_lists_declared_as_maps_in_the_schema()
    {
        await using var api = await StartAsync();
        var client = api.CreateClient();
        await client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(Crds.WebSocketPools());
        var a = Crds.Pool.Named("p");
        a.Spec.Ports = [new Crds.PoolPort { Name = "ws", Port = 8080 }];
        var b = new Crds.Pool { Metadata = new V1ObjectMeta { Name = "p" }, Spec = new Crds.PoolSpec { Ports = [new Crds.PoolPort { Name = "metrics", Port = 9090 }] } };

        await client.CustomObjects.PatchNamespacedCustomObjectAsync(new V1Patch(a, V1Patch.PatchType.ApplyPatch), "wspool.dev", "v1alpha1", "default", "websocketpools", "p", fieldManager: "a");
        await client.CustomObjects.PatchNamespacedCustomObjectAsync(new V1Patch(b, V1Patch.PatchType.ApplyPatch), "wspool.dev", "v1alpha1", "default", "websocketpools", "p", fieldManager: "b");

        var pool = api.Store.Get<Crds.Pool>("default", "p")!;
        pool.Spec.Ports!.Select(p => p.Name).Should().Equal("ws", "metrics");
    }

    [Fact]
    public async Task Apply_requires_a_field_manager()
    {
        await using var api = await StartAsync();
        var client = api.CreateClient();

        var act = () => client.AppsV1.PatchNamespacedDeploymentAsync(new V1Patch(Deployment("web"), V1Patch.PatchType.ApplyPatch), "web", "default");

        (await act.Should().ThrowAsync<HttpOperationException>()).Which.Response.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
    }

    [Fact]
    public async Task An_update_takes_ownership_of_the_fields_it_changed_from_the_applier()
    {
        await using var api = await StartAsync();
        var client = api.CreateClient();
        await Apply(client, Deployment("web", image: "nginx:1"), "op");
        var live = await client.AppsV1.ReadNamespacedDeploymentAsync("web", "default");
        live.Spec.Template.Spec.Containers[0].Image = "nginx:hotfix";

        var updated = await client.AppsV1.ReplaceNamespacedDeploymentAsync(live, "web", "default", fieldManager: "kubectl-edit");

        var editor = updated.Metadata.ManagedFields.Single(m => m.Manager == "kubectl-edit");
        editor.Operation.Should().Be("Update");
        KubernetesJson.Serialize(editor.FieldsV1).Should().Contain("f:image").And.NotContain("f:replicas");
        KubernetesJson.Serialize(updated.Metadata.ManagedFields.Single(m => m.Manager == "op").FieldsV1).Should().NotContain("f:image");
    }
}
