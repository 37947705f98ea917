using System.Net;
using WsPool.Testing;
using static WsPool.KubeEmulator.Tests.Support;

namespace WsPool.KubeEmulator.Tests;

public sealed class DeleteAndGarbageCollectionTests
{
    private static V1OwnerReference OwnedBy(IKubernetesObject<V1ObjectMeta> owner, string apiVersion, string kind) => new()
    {
        ApiVersion = apiVersion, Kind = kind, Name = owner.Metadata.Name, Uid = owner.Metadata.Uid, Controller = true, BlockOwnerDeletion = true,
    };

    private static async Task<(V1ConfigMap Owner, V1ConfigMap Dependent)> OwnerAndDependent(Kubernetes client)
    {
        var owner = await client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("owner"), "default");
        var dependent = ConfigMap("dependent");
        dependent.Metadata.OwnerReferences = [OwnedBy(owner, "v1", "ConfigMap")];
        return (owner, await client.CoreV1.CreateNamespacedConfigMapAsync(dependent, "default"));
    }

    [Fact]
    public async Task Delete_removes_the_object()
    {
        await using var api = await KubeApiEmulator.StartAsync();
        var client = api.CreateClient();
        await client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("a"), "default");

        var status = await client.CoreV1.DeleteNamespacedConfigMapAsync("a", "default");

        status.Status.Should().Be("Success");
        api.Store.Get<V1ConfigMap>("default", "a").Should().BeNull();
    }

    [Fact]
    public async Task Delete_with_a_wrong_uid_precondition_is_409()
    {
        await using var api = await KubeApiEmulator.StartAsync();
        var client = api.CreateClient();
        await client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("a"), "default");

        var act = () => client.CoreV1.DeleteNamespacedConfigMapAsync("a", "default",
            new V1DeleteOptions { Preconditions = new V1Preconditions { Uid = "not-it" } });

        (await act.Should().ThrowAsync<HttpOperationException>()).Which.Response.StatusCode.Should().Be(HttpStatusCode.Conflict);
        api.Store.Get<V1ConfigMap>("default", "a").Should().NotBeNull();
    }

    [Fact]
    public async Task An_object_with_finalizers_is_kept_with_a_deletion_timestamp_until_they_are_removed()
    {
        await using var api = await KubeApiEmulator.StartAsync();
        var client = api.CreateClient();
        var cm = ConfigMap("a");
        cm.Metadata.Finalizers = ["example.com/cleanup"];
        await client.CoreV1.CreateNamespacedConfigMapAsync(cm, "default");

        await client.CoreV1.DeleteNamespacedConfigMapAsync("a", "default");
        var pending = await client.CoreV1.ReadNamespacedConfigMapAsync("a", "default");
        pending.Metadata.DeletionTimestamp.Should().NotBeNull();

        pending.Metadata.Finalizers = [];
        await client.CoreV1.ReplaceNamespacedConfigMapAsync(pending, "a", "default");

        api.Store.Get<V1ConfigMap>("default", "a").Should().BeNull();
    }

    [Fact]
    public async Task No_new_finalizer_can_be_added_while_deleting()
    {
        await using var api = await KubeApiEmulator.StartAsync();
        var client = api.CreateClient();
        var cm = ConfigMap("a");
        cm.Metadata.Finalizers = ["example.com/one"];
        await client.CoreV1.CreateNamespacedConfigMapAsync(cm, "default");
        await client.CoreV1.DeleteNamespacedConfigMapAsync("a", "default");

        var act = () => client.CoreV1.PatchNamespacedConfigMapAsync(
            new V1Patch("""{"metadata":{"finalizers":["example.com/one","example.com/two"]}}""", V1Patch.PatchType.MergePatch), "a", "default");

        (await act.Should().ThrowAsync<HttpOperationException>()).Which.Response.StatusCode.Should().Be(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Background_deletion_garbage_collects_objects_whose_owners_are_all_gone()
    {
        await using var api = await KubeApiEmulator.StartAsync();
        var client = api.CreateClient();
        await OwnerAndDependent(client);

        await client.CoreV1.DeleteNamespacedConfigMapAsync("owner", "default");

        await Eventually.ValueAsync(() => api.Store.Get<V1ConfigMap>("default", "dependent"), o => o is null, "the dependent is collected", Wait);
    }

    [Fact]
    public async Task A_dependent_with_a_remaining_owner_is_not_collected()
    {
        await using var api = await KubeApiEmulator.StartAsync();
        var client = api.CreateClient();
        var (owner, _) = await OwnerAndDependent(client);
        var second = await client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("second-owner"), "default");
        var dependent = await client.CoreV1.ReadNamespacedConfigMapAsync("dependent", "default");
        dependent.Metadata.OwnerReferences.Add(new V1OwnerReference { ApiVersion = "v1", Kind = "ConfigMap", Name = second.Metadata.Name, Uid = second.Metadata.Uid });
        await client.CoreV1.ReplaceNamespacedConfigMapAsync(dependent, "dependent", "default");

        await client.CoreV1.DeleteNamespacedConfigMapAsync(owner.Metadata.Name, "default");
        await api.WaitForControllersIdleAsync();

        api.Store.Get<V1ConfigMap>("default", "dependent").Should().NotBeNull();
    }

    [Fact]
    public async Task Garbage_collection_cascades_through_chains_of_owners()
    {
        await using var api = await KubeApiEmulator.StartAsync();
        var client = api.CreateClient();
        var (_, middle) = await OwnerAndDependent(client);
        var leaf = ConfigMap("leaf");
        leaf.Metadata.OwnerReferences = [OwnedBy(middle, "v1", "ConfigMap")];
        await client.CoreV1.CreateNamespacedConfigMapAsync(leaf, "default");

        await client.CoreV1.DeleteNamespacedConfigMapAsync("owner", "default");

        await Eventually.ValueAsync(() => api.Store.Get<V1ConfigMap>("default", "leaf"), o => o is null, "the grandchild is collected", Wait);
    }

    [Fact]
    public async Task Deleting_a_custom_resource_collects_the_deployment_it_owns()
    {
        await using var api = await KubeApiEmulator.StartAsync();
        var client = api.CreateClient();
        await client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(Crds.WebSocketPools());
        await client.CustomObjects.CreateNamespacedCustomObjectAsync(Crds.Pool.Named("p"), "wspool.dev", "v1alpha1", "default", "websocketpools");
        var pool = api.Store.Get<Crds.Pool>("default", "p")!;
        var d = Deployment("p-backend");
        d.Metadata.OwnerReferences = [OwnedBy(pool, "wspool.dev/v1alpha1", "WebSocketPool")];
        await client.AppsV1.CreateNamespacedDeploymentAsync(d, "default");

        await client.CustomObjects.DeleteNamespacedCustomObjectAsync("wspool.dev", "v1alpha1", "default", "websocketpools", "p");

        await Eventually.ValueAsync(() => api.Store.Get<V1Deployment>("default", "p-backend"), o => o is null, "the owned deployment is collected", Wait);
    }

    [Fact]
    public async Task An_object_created_with_only_dangling_owner_references_is_collected()
    {
        await using var api = await KubeApiEmulator.StartAsync();
        var client = api.CreateClient();
        var orphan = ConfigMap("orphan");
        orphan.Metadata.OwnerReferences = [new V1OwnerReference { ApiVersion = "v1", Kind = "ConfigMap", Name = "gone", Uid = Guid.NewGuid().ToString() }];

        await client.CoreV1.CreateNamespacedConfigMapAsync(orphan, "default");

        await Eventually.ValueAsync(() => api.Store.Get<V1ConfigMap>("default", "orphan"), o => o is null, "the dangling dependent is collected", Wait);
    }

    [Fact]
    public async Task Orphan_propagation_keeps_dependents_and_drops_their_owner_reference()
    {
        await using var api = await KubeApiEmulator.StartAsync();
        var client = api.CreateClient();
        await OwnerAndDependent(client);

        await client.CoreV1.DeleteNamespacedConfigMapAsync("owner", "default", propagationPolicy: "Orphan");
        await api.WaitForControllersIdleAsync();

        var dependent = api.Store.Get<V1ConfigMap>("default", "dependent");
        dependent.Should().NotBeNull();
        dependent!.Metadata.OwnerReferences.Should().BeNullOrEmpty();
    }

    [Fact]
    public async Task Foreground_deletion_removes_dependents_before_the_owner()
    {
        await using var api = await KubeApiEmulator.StartAsync();
        var client = api.CreateClient();
        await OwnerAndDependent(client);

        await client.CoreV1.DeleteNamespacedConfigMapAsync("owner", "default", propagationPolicy: "Foreground");

        await Eventually.ValueAsync(() => api.Store.Get<V1ConfigMap>("default", "owner"), o => o is null, "the owner goes at last", Wait);
        api.Store.Get<V1ConfigMap>("default", "dependent").Should().BeNull();
    }

    [Fact]
    public async Task Deleting_a_namespace_deletes_its_content_and_then_the_namespace()
    {
        await using var api = await KubeApiEmulator.StartAsync();
        var client = api.CreateClient();
        await client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = "team" } });
        await client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("a"), "team");

        await client.CoreV1.DeleteNamespaceAsync("team");

        await Eventually.ValueAsync(() => api.Store.Get<V1Namespace>(null, "team"), o => o is null, "the namespace is removed", Wait);
        api.Store.List<V1ConfigMap>("team").Should().BeEmpty();
    }

    [Fact]
    public async Task Deleting_a_crd_stops_serving_its_resource()
    {
        await using var api = await KubeApiEmulator.StartAsync();
        var client = api.CreateClient();
        await client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(Crds.WebSocketPools());
        await client.CustomObjects.CreateNamespacedCustomObjectAsync(Crds.Pool.Named("p"), "wspool.dev", "v1alpha1", "default", "websocketpools");

        await client.ApiextensionsV1.DeleteCustomResourceDefinitionAsync("websocketpools.wspool.dev");
        var act = () => client.CustomObjects.ListNamespacedCustomObjectAsync("wspool.dev", "v1alpha1", "default", "websocketpools");

        (await act.Should().ThrowAsync<HttpOperationException>()).Which.Response.StatusCode.Should().Be(HttpStatusCode.NotFound);
    }
}
