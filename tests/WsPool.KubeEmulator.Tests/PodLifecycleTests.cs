using Microsoft.Extensions.Time.Testing;
using static WsPool.KubeEmulator.Tests.Workloads;

namespace WsPool.KubeEmulator.Tests;

/// <summary>
/// Simulated workloads: pods on the one node, the stand-in kubelet, and graceful deletion as the Pod lifecycle
/// documentation describes it ("Termination of Pods"), with the kubelet off as local mode runs it.
/// </summary>
public sealed class PodLifecycleTests
{
    private static readonly DateTimeOffset Start = DateTimeOffset.Parse("2026-01-01T00:00:00Z");

    [Fact]
    public async Task Pods_get_their_own_loopback_ip_and_an_ip_is_given_again_once_its_pod_is_gone()
    {
        await using var api = await KubeApiEmulator.StartAsync(Options());
        await api.CreateClient().AppsV1.CreateNamespacedReplicaSetAsync(ReplicaSet("rs", replicas: 3), Ns);
        var pods = await Eventually.ValueAsync(() => Pods(api, "rs"), p => p.Count(IsReady) == 3, "three ready pods", Support.Wait, Describe);
        var freed = pods[1].Status.PodIP;

        await api.CreateClient().CoreV1.DeleteNamespacedPodAsync(pods[1].Metadata.Name, Ns);
        var replaced = await Eventually.ValueAsync(() => Pods(api, "rs"),
            p => p.Count == 3 && p.All(IsReady) && p.All(x => x.Metadata.Name != pods[1].Metadata.Name), "a ready replacement", Support.Wait, Describe);

        pods.Select(p => p.Status.PodIP).Should().BeEquivalentTo("127.0.0.2", "127.0.0.3", "127.0.0.4");
        replaced.Select(p => p.Status.PodIP).Should().OnlyHaveUniqueItems().And.Contain(freed);
        api.Kubelet.Ips.InUse.Should().Be(3);
    }

    [Fact]
    public async Task Pods_are_bound_to_the_node_named_in_the_options_and_run_there()
    {
        await using var api = await KubeApiEmulator.StartAsync(new EmulatorOptions
        {
            Workloads = WorkloadSimulation.ReplicaSetsAndPods,
            NodeName = "laptop",
        });
        await api.CreateClient().AppsV1.CreateNamespacedReplicaSetAsync(ReplicaSet("rs", replicas: 1), Ns);

        var pod = (await Eventually.ValueAsync(() => Pods(api, "rs"), p => p.Count(IsReady) == 1, "a ready pod", Support.Wait, Describe)).Single();

        pod.Spec.NodeName.Should().Be("laptop");
        api.Kubelet.NodeName.Should().Be("laptop");
    }

    [Fact]
    public async Task The_kubelet_reports_a_started_pod_running_ready_and_scheduled()
    {
        await using var api = await KubeApiEmulator.StartAsync(Options());
        await api.CreateClient().CoreV1.CreateNamespacedPodAsync(BarePod("solo", nodeName: "local"), Ns);

        var pod = await Eventually.ValueAsync(() => api.Store.Get<V1Pod>(Ns, "solo")!, IsReady, "the pod ready", Support.Wait,
            p => KubernetesJson.Serialize(p.Status));

        pod.Status.Phase.Should().Be("Running");
        pod.Status.Conditions.Select(c => (c.Type, c.Status)).Should().Contain([("Ready", "True"), ("ContainersReady", "True"), ("PodScheduled", "True")]);
        pod.Status.ContainerStatuses.Should().ContainSingle().Which.Should().Match<V1ContainerStatus>(c => c.Name == "main" && c.Ready && c.Started == true);
        pod.Status.HostIP.Should().Be("127.0.0.1");
    }

    [Fact]
    public async Task A_new_pod_is_pending_until_a_kubelet_reports_otherwise()
    {
        await using var api = await KubeApiEmulator.StartAsync(Options(kubelet: false));

        var created = await api.CreateClient().CoreV1.CreateNamespacedPodAsync(BarePod("solo", nodeName: "local"), Ns);
        await api.WaitForControllersIdleAsync();

        created.Status.Phase.Should().Be("Pending");
        api.Store.Get<V1Pod>(Ns, "solo")!.Status.PodIP.Should().BeNull();
    }

    // Pod lifecycle docs, "Termination of Pods": the API server sets deletionTimestamp and the grace period; the
    // kubelet removes the pod once its containers stopped, at the latest when the grace period ends.
    [Fact]
    public async Task A_deleted_pod_stays_terminating_for_its_grace_period_and_then_goes()
    {
        var clock = new FakeTimeProvider(Start);
        await using var api = await KubeApiEmulator.StartAsync(Options(time: clock, stopDelay: TimeSpan.FromMinutes(5)));
        var client = api.CreateClient();
        var pod = BarePod("solo", nodeName: "local");
        pod.Spec.TerminationGracePeriodSeconds = 20;
        await client.CoreV1.CreateNamespacedPodAsync(pod, Ns);
        await Eventually.ValueAsync(() => api.Store.Get<V1Pod>(Ns, "solo")!, IsReady, "the pod ready", Support.Wait);

        await client.CoreV1.DeleteNamespacedPodAsync("solo", Ns);
        await api.WaitForControllersIdleAsync();
        var terminating = api.Store.Get<V1Pod>(Ns, "solo");
        clock.Advance(TimeSpan.FromSeconds(19));
        await api.WaitForControllersIdleAsync();
        var justBefore = api.Store.Get<V1Pod>(Ns, "solo");
        clock.Advance(TimeSpan.FromSeconds(1));
        await api.WaitForControllersIdleAsync();

        terminating.Should().NotBeNull();
        terminating!.Metadata.DeletionGracePeriodSeconds.Should().Be(20);
        terminating.Metadata.DeletionTimestamp.Should().Be(Start.AddSeconds(20).UtcDateTime);
        justBefore.Should().NotBeNull("the grace period is not over");
        api.Store.Get<V1Pod>(Ns, "solo").Should().BeNull("the kubelet killed the containers at the end of the grace period");
    }

    [Fact]
    public async Task A_pod_whose_containers_stop_quickly_goes_before_its_grace_period_ends()
    {
        var clock = new FakeTimeProvider(Start);
        await using var api = await KubeApiEmulator.StartAsync(Options(time: clock, stopDelay: TimeSpan.FromSeconds(3)));
        var client = api.CreateClient();
        await client.CoreV1.CreateNamespacedPodAsync(BarePod("solo", nodeName: "local"), Ns);
        await Eventually.ValueAsync(() => api.Store.Get<V1Pod>(Ns, "solo")!, IsReady, "the pod ready", Support.Wait);

        await client.CoreV1.DeleteNamespacedPodAsync("solo", Ns);
        await api.WaitForControllersIdleAsync();
        clock.Advance(TimeSpan.FromSeconds(3));
        await api.WaitForControllersIdleAsync();

        api.Store.Get<V1Pod>(Ns, "solo").Should().BeNull();
    }

    // DeleteOptions.gracePeriodSeconds docs: a second delete may only shorten the grace period.
    [Fact]
    public async Task A_second_delete_can_shorten_the_grace_period_but_not_lengthen_it()
    {
        await using var api = await KubeApiEmulator.StartAsync(Options(kubelet: false));
        var client = api.CreateClient();
        await client.CoreV1.CreateNamespacedPodAsync(BarePod("solo", nodeName: "local"), Ns);

        await client.CoreV1.DeleteNamespacedPodAsync("solo", Ns);
        var first = api.Store.Get<V1Pod>(Ns, "solo")!.Metadata.DeletionGracePeriodSeconds;
        await client.CoreV1.DeleteNamespacedPodAsync("solo", Ns, gracePeriodSeconds: 5);
        var shortened = api.Store.Get<V1Pod>(Ns, "solo")!.Metadata.DeletionGracePeriodSeconds;
        await client.CoreV1.DeleteNamespacedPodAsync("solo", Ns, gracePeriodSeconds: 10);
        var kept = api.Store.Get<V1Pod>(Ns, "solo")!.Metadata.DeletionGracePeriodSeconds;

        (first, shortened, kept).Should().Be((30, 5, 5), "the default terminationGracePeriodSeconds is 30");
    }

    [Fact]
    public async Task A_pod_on_no_node_is_deleted_at_once()
    {
        await using var api = await KubeApiEmulator.StartAsync(Options());
        var client = api.CreateClient();
        await client.CoreV1.CreateNamespacedPodAsync(BarePod("solo", nodeName: null), Ns);

        await client.CoreV1.DeleteNamespacedPodAsync("solo", Ns);

        api.Store.Get<V1Pod>(Ns, "solo").Should().BeNull();
    }

    [Fact]
    public async Task Without_simulated_workloads_a_pod_is_deleted_at_once_as_before()
    {
        await using var api = await KubeApiEmulator.StartAsync();
        var client = api.CreateClient();
        await client.CoreV1.CreateNamespacedPodAsync(BarePod("solo", nodeName: "local"), Ns);

        await client.CoreV1.DeleteNamespacedPodAsync("solo", Ns);

        api.Store.Get<V1Pod>(Ns, "solo").Should().BeNull();
    }

    [Fact]
    public async Task A_finalizer_keeps_a_pod_after_its_grace_period_until_it_is_removed()
    {
        await using var api = await KubeApiEmulator.StartAsync(Options(kubelet: false));
        var client = api.CreateClient();
        var pod = BarePod("solo", nodeName: "local");
        pod.Metadata.Finalizers = ["example.com/hold"];
        await client.CoreV1.CreateNamespacedPodAsync(pod, Ns);
        await client.CoreV1.DeleteNamespacedPodAsync("solo", Ns);

        await client.CoreV1.DeleteNamespacedPodAsync("solo", Ns, gracePeriodSeconds: 0);
        var held = api.Store.Get<V1Pod>(Ns, "solo");
        await client.CoreV1.PatchNamespacedPodAsync(new V1Patch(new { metadata = new { finalizers = Array.Empty<string>() } },
            V1Patch.PatchType.MergePatch), "solo", Ns);

        held!.Metadata.DeletionGracePeriodSeconds.Should().Be(0);
        api.Store.Get<V1Pod>(Ns, "solo").Should().BeNull();
    }

    // Local mode: the kubelet is off and a process runner plays it. It finds the pods bound to the node, writes
    // their status (IP, Running, Ready) through the status subresource, and confirms a deletion with
    // gracePeriodSeconds=0 once the process exited.
    [Fact]
    public async Task With_the_kubelet_off_a_runner_reports_pod_status_and_confirms_deletion()
    {
        await using var api = await KubeApiEmulator.StartAsync(Options(kubelet: false));
        var client = api.CreateClient("wspool-local-runner");
        await client.AppsV1.CreateNamespacedDeploymentAsync(Deployment("web", replicas: 1), Ns);
        var pending = (await Eventually.ValueAsync(
            async () => (await client.CoreV1.ListNamespacedPodAsync(Ns, fieldSelector: "spec.nodeName=local")).Items,
            p => p.Count == 1, "a pod bound to the node", Support.Wait)).Single();
        var phaseBefore = pending.Status.Phase;

        pending.Status = Running("127.0.0.42", ready: true, DateTime.UtcNow);
        await client.CoreV1.ReplaceNamespacedPodStatusAsync(pending, pending.Metadata.Name, Ns);
        var available = await RolledOutAsync(api, "web");
        await client.AppsV1.PatchNamespacedDeploymentScaleAsync(new V1Patch(new { spec = new { replicas = 0 } }, V1Patch.PatchType.MergePatch), "web", Ns);
        var stopping = await Eventually.ValueAsync(() => api.Store.Get<V1Pod>(Ns, pending.Metadata.Name)!, IsTerminating,
            "the pod marked for deletion", Support.Wait);
        await api.WaitForControllersIdleAsync();
        var stillThere = api.Store.Get<V1Pod>(Ns, pending.Metadata.Name) is not null;
        await client.CoreV1.DeleteNamespacedPodAsync(pending.Metadata.Name, Ns, gracePeriodSeconds: 0);

        (pending.Spec.NodeName, phaseBefore).Should().Be(("local", "Pending"));
        available.Status.AvailableReplicas.Should().Be(1);
        stopping.Metadata.DeletionGracePeriodSeconds.Should().Be(30);
        stillThere.Should().BeTrue("nothing but the runner removes a pod while the kubelet is off");
        api.Store.Get<V1Pod>(Ns, pending.Metadata.Name).Should().BeNull();
    }

    private static V1Pod BarePod(string name, string? nodeName) => new()
    {
        ApiVersion = "v1",
        Kind = "Pod",
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = Ns, Labels = new Dictionary<string, string> { ["app"] = name } },
        Spec = new V1PodSpec { NodeName = nodeName, Containers = [new V1Container { Name = "main", Image = "chat:1" }] },
    };
}
