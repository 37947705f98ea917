using static WsPool.KubeEmulator.Tests.Workloads;

namespace WsPool.KubeEmulator.Tests;

/// <summary>
/// Simulated workloads: the ReplicaSet controller as the ReplicaSet documentation describes it (pods from the
/// template, "Scaling a ReplicaSet" deletion order, pod deletion cost).
/// </summary>
public sealed class ReplicaSetControllerTests
{
    [Fact]
    public async Task A_replicaset_creates_its_pods_from_the_template_and_counts_them_in_its_status()
    {
        await using var api = await KubeApiEmulator.StartAsync(Options());
        var created = await api.CreateClient().AppsV1.CreateNamespacedReplicaSetAsync(ReplicaSet("rs", replicas: 3), Ns);

        var rs = await Eventually.ValueAsync(() => api.Store.Get<V1ReplicaSet>(Ns, "rs")!, r => r.Status?.AvailableReplicas == 3,
            "three available pods", Support.Wait, r => KubernetesJson.Serialize(r.Status));

        (rs.Status.Replicas, rs.Status.FullyLabeledReplicas, rs.Status.ReadyReplicas, rs.Status.ObservedGeneration).Should().Be((3, 3, 3, 1));
        Pods(api, "rs").Should().HaveCount(3).And.OnlyContain(p => p.Metadata.GenerateName == "rs-"
            && p.Metadata.OwnerReferences.Single().Uid == created.Metadata.Uid && p.Spec.Containers.Single().Image == "chat:1");
    }

    [Fact]
    public async Task A_deleted_pod_is_replaced_while_it_is_still_terminating()
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.Parse("2026-01-01T00:00:00Z"));
        await using var api = await KubeApiEmulator.StartAsync(Options(time: clock, stopDelay: TimeSpan.FromSeconds(10)));
        await api.CreateClient().AppsV1.CreateNamespacedReplicaSetAsync(ReplicaSet("rs", replicas: 2), Ns);
        var pods = await Eventually.ValueAsync(() => Pods(api, "rs"), p => p.Count(IsReady) == 2, "two ready pods", Support.Wait, Describe);

        await api.CreateClient().CoreV1.DeleteNamespacedPodAsync(pods[0].Metadata.Name, Ns);
        await api.WaitForControllersIdleAsync();

        var now = Pods(api, "rs");
        now.Should().HaveCount(3, "a terminating pod does not count toward the replicas: " + Describe(now));
        now.Should().ContainSingle(p => IsTerminating(p)).Which.Metadata.Name.Should().Be(pods[0].Metadata.Name);
    }

    // ReplicaSet docs, "Scaling a ReplicaSet" / "Pod deletion cost": the pod with the lower
    // controller.kubernetes.io/pod-deletion-cost is deleted first.
    [Fact]
    public async Task Scaling_down_deletes_the_pod_with_the_lowest_deletion_cost()
    {
        await using var api = await KubeApiEmulator.StartAsync(Options());
        var pods = await ReadyReplicaSetAsync(api, 3);
        SetDeletionCost(api, pods[0], 100);
        SetDeletionCost(api, pods[1], -5);
        SetDeletionCost(api, pods[2], 50);

        await ScaleAsync(api, 2);

        var left = await Eventually.ValueAsync(() => Pods(api, "rs"), p => p.Count == 2, "one pod gone", Support.Wait, Describe);
        left.Select(p => p.Metadata.Name).Should().BeEquivalentTo(pods[0].Metadata.Name, pods[2].Metadata.Name);
    }

    // ReplicaSet docs, "Scaling a ReplicaSet": not-ready pods go before ready ones, whatever their deletion cost.
    [Fact]
    public async Task Scaling_down_deletes_a_not_ready_pod_before_ready_ones()
    {
        await using var api = await KubeApiEmulator.StartAsync(Options());
        var pods = await ReadyReplicaSetAsync(api, 3);
        SetDeletionCost(api, pods[1], 1000);
        SetReady(api, pods[1], ready: false);
        await api.WaitForControllersIdleAsync();

        await ScaleAsync(api, 2);

        var left = await Eventually.ValueAsync(() => Pods(api, "rs"), p => p.Count == 2, "one pod gone", Support.Wait, Describe);
        left.Select(p => p.Metadata.Name).Should().NotContain(pods[1].Metadata.Name);
    }

    // ReplicaSet docs, "Scaling a ReplicaSet": "Pending (and unschedulable) pods are scaled down first" — before a
    // running pod even when that one is not ready.
    [Fact]
    public async Task Scaling_down_deletes_a_pending_pod_before_a_running_one()
    {
        await using var api = await KubeApiEmulator.StartAsync(Options());
        var pods = await ReadyReplicaSetAsync(api, 2);
        SetReady(api, pods[0], ready: false);
        api.Kubelet.Enabled = false;
        await ScaleAsync(api, 3);
        var pending = await Eventually.ValueAsync(() => Pods(api, "rs"), p => p.Count == 3, "a third, pending pod", Support.Wait, Describe);
        var third = pending.Single(p => pods.All(o => o.Metadata.Name != p.Metadata.Name));
        SetDeletionCost(api, third, 1000);
        await api.WaitForControllersIdleAsync();

        await ScaleAsync(api, 2);

        // The kubelet is off: the deleted pod stays terminating.
        var left = await Eventually.ValueAsync(() => Pods(api, "rs").Where(p => !IsTerminating(p)).ToList(), p => p.Count == 2,
            "one pod deleted", Support.Wait, Describe);
        third.Status.Phase.Should().Be("Pending");
        left.Select(p => p.Metadata.Name).Should().BeEquivalentTo(pods[0].Metadata.Name, pods[1].Metadata.Name);
    }

    // ReplicaSet docs, "Scaling a ReplicaSet": a pod not yet on a node goes first (and at once: nothing runs it).
    [Fact]
    public async Task A_surplus_pod_on_no_node_is_deleted_first_and_at_once()
    {
        await using var api = await KubeApiEmulator.StartAsync(Options());
        await ReadyReplicaSetAsync(api, 2);
        var rs = api.Store.Get<V1ReplicaSet>(Ns, "rs")!;
        var unassigned = new V1Pod
        {
            ApiVersion = "v1",
            Kind = "Pod",
            Metadata = new V1ObjectMeta
            {
                Name = "unassigned",
                NamespaceProperty = Ns,
                Labels = new Dictionary<string, string> { ["app"] = "rs" },
                Annotations = new Dictionary<string, string> { ["controller.kubernetes.io/pod-deletion-cost"] = "1000" },
                OwnerReferences =
                [
                    new V1OwnerReference { ApiVersion = "apps/v1", Kind = "ReplicaSet", Name = "rs", Uid = rs.Metadata.Uid, Controller = true, BlockOwnerDeletion = true },
                ],
            },
            Spec = new V1PodSpec { Containers = [new V1Container { Name = "main", Image = "chat:1" }] },
        };

        await api.CreateClient().CoreV1.CreateNamespacedPodAsync(unassigned, Ns);

        var left = await Eventually.ValueAsync(() => Pods(api, "rs"), p => p.Count == 2 && p.All(x => x.Metadata.Name != "unassigned"),
            "the unassigned pod gone", Support.Wait, Describe);
        left.Should().OnlyContain(p => IsReady(p) && !IsTerminating(p));
    }

    private static async Task<List<V1Pod>> ReadyReplicaSetAsync(KubeApiEmulator api, int replicas)
    {
        await api.CreateClient().AppsV1.CreateNamespacedReplicaSetAsync(ReplicaSet("rs", replicas), Ns);
        var pods = await Eventually.ValueAsync(() => Pods(api, "rs"), p => p.Count(IsReady) == replicas, $"{replicas} ready pods", Support.Wait, Describe);
        await api.WaitForControllersIdleAsync();
        return pods;
    }

    private static void SetDeletionCost(KubeApiEmulator api, V1Pod pod, int cost)
    {
        var current = api.Store.Get<V1Pod>(Ns, pod.Metadata.Name)!;
        current.Metadata.Annotations ??= new Dictionary<string, string>();
        current.Metadata.Annotations["controller.kubernetes.io/pod-deletion-cost"] = cost.ToString();
        api.Store.Upsert(current);
    }

    private static Task ScaleAsync(KubeApiEmulator api, int replicas) =>
        api.CreateClient().AppsV1.PatchNamespacedReplicaSetScaleAsync(
            new V1Patch(new { spec = new { replicas } }, V1Patch.PatchType.MergePatch), "rs", Ns);
}
