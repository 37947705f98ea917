using k8s;
using k8s.Models;
using WsPool.Operator.Kubernetes;
using WsPool.Operator.Reconciling;
using WsPool.Operator.Tests.Integration;

namespace WsPool.Operator.Tests.Kubernetes;

/// <summary>
/// What the owned-object cache keeps, and how it knows an object still holds what the operator applied without
/// keeping the whole object: against the emulator, which records field ownership as the API server does.
/// </summary>
public sealed class OwnedKindCacheTests
{
    private const string Ns = "chat";
    private const string Name = "web";

    private static V1Deployment Intent(string image = "chat:1")
    {
        var labels = new Dictionary<string, string> { ["app"] = Name };
        var deployment = new V1Deployment
        {
            ApiVersion = "apps/v1",
            Kind = "Deployment",
            Metadata = new V1ObjectMeta { Name = Name, NamespaceProperty = Ns, Labels = new Dictionary<string, string>(labels) },
            Spec = new V1DeploymentSpec
            {
                Replicas = 2,
                Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string>(labels) },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string>(labels) },
                    Spec = new V1PodSpec { Containers = [new V1Container { Name = "chat", Image = image }] },
                },
            },
        };
        AppliedIntent.Stamp(deployment);
        return deployment;
    }

    /// <summary>The object as a watch would deliver it now: read from the API, managedFields and all.</summary>
    private static Task<V1Deployment> ReadAsync(TestCluster cluster) =>
        cluster.Client.AppsV1.ReadNamespacedDeploymentAsync(Name, Ns);

    private static async Task<OwnedKinds> AppliedAsync(TestCluster cluster)
    {
        var kinds = new OwnedKinds();
        await kinds.Deployments.ApplyAsync(cluster.Client, Intent(), CancellationToken.None);
        return kinds;
    }

    /// <summary>Someone else's write through the API (field manager emulator-test).</summary>
    private static void EditElsewhere(TestCluster cluster, Action<V1Deployment> edit)
    {
        var live = cluster.Api.Store.Get<V1Deployment>(Ns, Name)!;
        edit(live);
        cluster.Api.Store.Upsert(live);
    }

    [Fact]
    public async Task After_an_apply_the_cache_keeps_a_compact_copy_that_counts_as_applied()
    {
        await using var cluster = await TestCluster.StartAsync();
        var kinds = await AppliedAsync(cluster);

        var cached = kinds.Deployments.Store.Get(Ns, Name)!;
        cached.Spec.Template.Should().BeNull("the pod template is in the pool's spec already");
        cached.Metadata.ManagedFields.Should().BeNull();
        cached.Spec.Replicas.Should().Be(2, "the autoscaler reads the current replicas from the cache");
        kinds.Deployments.AwaitingComparison.Should().Be(0, "the apply's response is known to hold the intent");
        kinds.Deployments.IsApplied(Intent()).Should().BeTrue();
    }

    [Fact]
    public async Task A_changed_intent_is_not_applied()
    {
        await using var cluster = await TestCluster.StartAsync();
        var kinds = await AppliedAsync(cluster);

        kinds.Deployments.IsApplied(Intent(image: "chat:2")).Should().BeFalse();
    }

    [Fact]
    public async Task A_status_update_is_known_to_leave_the_intent_in_place_without_a_comparison()
    {
        await using var cluster = await TestCluster.StartAsync();
        var kinds = await AppliedAsync(cluster);
        var live = cluster.Api.Store.Get<V1Deployment>(Ns, Name)!;
        live.Status = new V1DeploymentStatus { ObservedGeneration = 1, Replicas = 2, ReadyReplicas = 2 };
        cluster.Api.Store.UpdateStatus(live);

        kinds.Deployments.Store.Upsert(await ReadAsync(cluster), out _);

        kinds.Deployments.Store.Get(Ns, Name)!.Status.ReadyReplicas.Should().Be(2);
        kinds.Deployments.AwaitingComparison.Should().Be(0);
        kinds.Deployments.IsApplied(Intent()).Should().BeTrue();
    }

    [Fact]
    public async Task A_write_by_someone_else_that_leaves_the_operators_fields_alone_needs_no_comparison()
    {
        await using var cluster = await TestCluster.StartAsync();
        var kinds = await AppliedAsync(cluster);
        EditElsewhere(cluster, d => d.Metadata.Annotations["example.com/owner"] = "team-chat");

        kinds.Deployments.Store.Upsert(await ReadAsync(cluster), out _);

        kinds.Deployments.AwaitingComparison.Should().Be(0);
        kinds.Deployments.IsApplied(Intent()).Should().BeTrue();
    }

    [Fact]
    public async Task A_field_someone_else_changed_needs_an_apply()
    {
        await using var cluster = await TestCluster.StartAsync();
        var kinds = await AppliedAsync(cluster);
        EditElsewhere(cluster, d => d.Spec.Template.Spec.Containers[0].Image = "evil:1");

        kinds.Deployments.Store.Upsert(await ReadAsync(cluster), out _);

        kinds.Deployments.AwaitingComparison.Should().Be(1, "the operator's owned fields changed");
        kinds.Deployments.IsApplied(Intent()).Should().BeFalse();
    }

    [Fact]
    public async Task A_field_someone_else_changed_to_the_value_the_operator_set_needs_no_apply()
    {
        await using var cluster = await TestCluster.StartAsync();
        var kinds = await AppliedAsync(cluster);
        EditElsewhere(cluster, d => d.Spec.Template.Spec.Containers[0].Image = "evil:1");
        EditElsewhere(cluster, d => d.Spec.Template.Spec.Containers[0].Image = "chat:1");

        kinds.Deployments.Store.Upsert(await ReadAsync(cluster), out _);

        kinds.Deployments.IsApplied(Intent()).Should().BeTrue("the owned fields changed hands, but the comparison finds the value applied");
    }

    [Fact]
    public async Task A_field_someone_else_removed_needs_an_apply()
    {
        await using var cluster = await TestCluster.StartAsync();
        var kinds = await AppliedAsync(cluster);
        EditElsewhere(cluster, d => d.Metadata.Labels.Remove("app"));

        kinds.Deployments.Store.Upsert(await ReadAsync(cluster), out _);

        kinds.Deployments.IsApplied(Intent()).Should().BeFalse();
    }

    [Fact]
    public async Task An_object_found_at_start_up_is_compared_with_the_intent()
    {
        await using var cluster = await TestCluster.StartAsync();
        await AppliedAsync(cluster);
        var restarted = new OwnedKinds();

        restarted.Deployments.Store.Upsert(await ReadAsync(cluster), out _);

        restarted.Deployments.Store.Get(Ns, Name)!.Spec.Template.Should().BeNull("the cache holds compact copies only");
        restarted.Deployments.AwaitingComparison.Should().Be(1, "nothing is known of it yet");
        restarted.Deployments.IsApplied(Intent()).Should().BeTrue();
        restarted.Deployments.AwaitingComparison.Should().Be(0, "one comparison made it known");
        restarted.Deployments.IsApplied(Intent(image: "chat:2")).Should().BeFalse();
    }

    [Fact]
    public async Task An_object_edited_while_the_operator_was_away_needs_an_apply()
    {
        await using var cluster = await TestCluster.StartAsync();
        await AppliedAsync(cluster);
        EditElsewhere(cluster, d => d.Spec.Template.Spec.Containers[0].Image = "evil:1");
        var restarted = new OwnedKinds();

        restarted.Deployments.Store.Upsert(await ReadAsync(cluster), out _);

        restarted.Deployments.IsApplied(Intent()).Should().BeFalse();
    }

    [Fact]
    public async Task A_secret_keeps_its_data_in_the_cache()
    {
        await using var cluster = await TestCluster.StartAsync();
        var kinds = new OwnedKinds();
        var secret = new V1Secret
        {
            ApiVersion = "v1",
            Kind = "Secret",
            Metadata = new V1ObjectMeta { Name = "redis", NamespaceProperty = Ns },
            Data = new Dictionary<string, byte[]> { ["password"] = "hunter2"u8.ToArray() },
        };
        AppliedIntent.Stamp(secret);

        await kinds.Secrets.ApplyAsync(cluster.Client, secret, CancellationToken.None);

        var cached = kinds.Secrets.Store.Get(Ns, "redis")!;
        System.Text.Encoding.UTF8.GetString(cached.Data["password"]).Should().Be("hunter2");
        cached.Metadata.ManagedFields.Should().BeNull();
    }
}
