using System.Net;
using Microsoft.Extensions.Time.Testing;
using WsPool.KubeEmulator.Controllers;
using static WsPool.KubeEmulator.Tests.Workloads;

namespace WsPool.KubeEmulator.Tests;

/// <summary>
/// Simulated workloads: the Deployment controller as the Kubernetes documentation describes it ("Deployments":
/// rolling update, max surge, max unavailable, rollover, Recreate, paused, progress deadline, conditions).
/// </summary>
public sealed class DeploymentRolloutTests
{
    [Fact]
    public async Task A_deployment_owns_a_replicaset_named_after_its_pod_template_hash_whose_pods_run_on_the_node()
    {
        await using var api = await KubeApiEmulator.StartAsync(Options());
        await api.CreateClient().AppsV1.CreateNamespacedDeploymentAsync(Deployment("web", replicas: 2), Ns);

        var deployment = await RolledOutAsync(api, "web");

        var rs = ReplicaSetsOf(api, "web").Should().ContainSingle().Subject;
        var hash = rs.Metadata.Labels["pod-template-hash"];
        rs.Metadata.Name.Should().Be($"web-{hash}");
        rs.Spec.Selector.MatchLabels.Should().Contain("pod-template-hash", hash).And.Contain("app", "web");
        rs.Spec.Template.Metadata.Labels.Should().Contain("pod-template-hash", hash);
        rs.Metadata.OwnerReferences.Should().ContainSingle().Which.Should().Match<V1OwnerReference>(o =>
            o.Kind == "Deployment" && o.Name == "web" && o.Uid == deployment.Metadata.Uid && o.Controller == true);
        rs.Metadata.Annotations.Should().Contain("deployment.kubernetes.io/revision", "1");
        deployment.Metadata.Annotations.Should().Contain("deployment.kubernetes.io/revision", "1");
        var pods = Pods(api, "web");
        pods.Should().HaveCount(2).And.OnlyContain(p => p.Metadata.Name.StartsWith($"web-{hash}-")
            && p.Metadata.OwnerReferences.Single().Uid == rs.Metadata.Uid && p.Metadata.OwnerReferences.Single().Controller == true
            && p.Spec.NodeName == "local" && p.Status.Phase == "Running" && IsReady(p));
        pods.Select(p => p.Status.PodIP).Should().OnlyHaveUniqueItems().And.OnlyContain(ip => ip.StartsWith("127.0.0.") && ip != "127.0.0.1");
    }

    [Fact]
    public async Task By_default_deployments_only_get_a_ready_status_and_no_replicasets_or_pods()
    {
        await using var api = await KubeApiEmulator.StartAsync();
        await api.CreateClient().AppsV1.CreateNamespacedDeploymentAsync(Deployment("web", replicas: 2), Ns);

        await Eventually.ValueAsync(() => api.Store.Get<V1Deployment>(Ns, "web")!, d => d.Status?.ReadyReplicas == 2,
            "the stand-in status", Support.Wait, Describe);
        await api.WaitForControllersIdleAsync();

        api.Store.List<V1ReplicaSet>(Ns).Should().BeEmpty();
        api.Store.List<V1Pod>(Ns).Should().BeEmpty();
    }

    [Fact]
    public async Task Switching_to_simulated_workloads_at_runtime_gives_existing_deployments_their_pods()
    {
        await using var api = await KubeApiEmulator.StartAsync();
        await api.CreateClient().AppsV1.CreateNamespacedDeploymentAsync(Deployment("web", replicas: 2), Ns);
        await api.WaitForControllersIdleAsync();

        api.Workloads = WorkloadSimulation.ReplicaSetsAndPods;

        // The stand-in status already reads as rolled out: wait for the pods themselves.
        var pods = await Eventually.ValueAsync(() => Pods(api, "web"), p => p.Count(IsReady) == 2, "two ready pods", Support.Wait, Describe);
        pods.Should().OnlyContain(p => p.Metadata.OwnerReferences.Single().Name == ReplicaSetsOf(api, "web").Single().Metadata.Name);
    }

    // Docs, "Max Surge" and "Max Unavailable": with maxUnavailable 0 the number of available pods never falls below
    // the desired replicas, and with maxSurge 1 at most one pod more than desired runs.
    [Fact]
    public async Task A_rolling_update_with_max_surge_1_and_max_unavailable_0_never_has_fewer_available_nor_more_than_one_extra_pod()
    {
        await using var api = await KubeApiEmulator.StartAsync(Options());
        var client = api.CreateClient();
        await client.AppsV1.CreateNamespacedDeploymentAsync(Deployment("web", replicas: 3, "chat:1", maxSurge: 1, maxUnavailable: 0), Ns);
        await RolledOutAsync(api, "web");
        await using var history = await PodHistory.StartAsync(client, "web");

        await SetImageAsync(client, "chat:2");
        await RolledOutAsync(api, "web");
        await Eventually.ValueAsync(() => history.Current, pods => pods.Count == 3 && pods.All(p => Image(p) == "chat:2" && IsReady(p)),
            "the watch to see the three new pods and no old one", Support.Wait, Describe);

        var seen = history.Seen;
        seen.Where(s => s.Available < 3).Should().BeEmpty("maxUnavailable 0 keeps 3 pods available throughout");
        seen.Where(s => s.Total > 4).Should().BeEmpty("maxSurge 1 allows at most 4 pods");
        seen.Max(s => s.Total).Should().Be(4, "the rollout used its surge");
    }

    // Docs: "maxSurge ... Absolute number is calculated from percentage by rounding up"; "maxUnavailable ...
    // calculated from percentage by rounding down".
    [Theory]
    [InlineData(10, "25%", "25%", 3, 2)]
    [InlineData(4, "25%", "25%", 1, 1)]
    [InlineData(3, "25%", "25%", 1, 0)]
    [InlineData(10, "30%", "30%", 3, 3)]
    [InlineData(10, "1%", "99%", 1, 9)]
    [InlineData(5, "2", "1", 2, 1)]
    public void Percentages_round_surge_up_and_unavailable_down(int replicas, string maxSurge, string maxUnavailable, int surge, int unavailable)
    {
        System.Text.Json.Nodes.JsonNode Value(string v) => v.EndsWith('%') ? v : int.Parse(v);

        RollingUpdate.Bounds(Value(maxSurge), Value(maxUnavailable), replicas).Should().Be((surge, unavailable));
    }

    [Fact]
    public void Percentages_that_both_round_to_zero_still_let_one_pod_be_unavailable()
    {
        RollingUpdate.Bounds("0%", "10%", 3).Should().Be((0, 1), "10% of 3 rounds down to 0 and a rollout must be able to move");
    }

    [Fact]
    public void Max_surge_and_max_unavailable_default_to_25_percent()
    {
        RollingUpdate.Bounds(null, null, 8).Should().Be((2, 2));
    }

    // Docs, "Max Surge"/"Max Unavailable" examples: at 30% the old ReplicaSet is scaled down to 70% at once and the
    // new one up until old and new pods reach 130%. Here 25% of 10 with no new pod ready: the old ReplicaSet goes
    // down to 8 (2.5 rounded down) and the pods reach 13 (2.5 rounded up), where the rollout waits.
    [Fact]
    public async Task A_rollout_whose_new_pods_never_get_ready_stops_at_the_rounded_surge_and_unavailability()
    {
        await using var api = await KubeApiEmulator.StartAsync(Options());
        var client = api.CreateClient();
        await client.AppsV1.CreateNamespacedDeploymentAsync(Deployment("web", replicas: 10, "chat:1", "25%", "25%"), Ns);
        await RolledOutAsync(api, "web");
        api.Kubelet.Enabled = false; // new pods stay pending: the rollout stops after its first step

        await SetImageAsync(client, "chat:2");

        await Eventually.ValueAsync(() => ReplicaSetsOf(api, "web").Select(r => r.Spec.Replicas ?? 0).ToList(),
            replicas => replicas.SequenceEqual([8, 5]), "old ReplicaSet at 8 and new at 5", Support.Wait);
        await api.WaitForControllersIdleAsync();

        ReplicaSetsOf(api, "web").Select(r => r.Spec.Replicas).Should().Equal(8, 5);
        var pods = Pods(api, "web").Where(p => !IsTerminating(p)).ToList();
        pods.Should().HaveCount(13);
        pods.Count(IsReady).Should().Be(8);
    }

    // API validation of RollingUpdateDeployment: "This can not be 0 if MaxUnavailable is 0."
    [Fact]
    public async Task A_deployment_with_both_max_surge_and_max_unavailable_zero_is_refused()
    {
        await using var api = await KubeApiEmulator.StartAsync(Options());

        var create = () => api.CreateClient().AppsV1.CreateNamespacedDeploymentAsync(Deployment("web", 2, "chat:1", 0, "0%"), Ns);

        var error = (await create.Should().ThrowAsync<HttpOperationException>()).Which;
        error.Response.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        error.Response.Content.Should().Contain("spec.strategy.rollingUpdate.maxUnavailable").And.Contain("may not be 0 when `maxSurge` is 0");
    }

    // Docs, "Deployment status": Available reports "minimum availability", i.e. at least replicas - maxUnavailable
    // available pods (MinimumReplicasAvailable), else MinimumReplicasUnavailable.
    [Fact]
    public async Task A_deployment_is_available_only_once_replicas_minus_max_unavailable_pods_are_available()
    {
        await using var api = await KubeApiEmulator.StartAsync(Options(kubelet: false));
        await api.CreateClient().AppsV1.CreateNamespacedDeploymentAsync(Deployment("web", replicas: 4), Ns); // 25%: 1 may be unavailable
        var pods = await Eventually.ValueAsync(() => Pods(api, "web"), p => p.Count == 4, "four pending pods", Support.Wait, Describe);

        var availability = new List<(int? Available, string? Status, string? Reason)>();
        foreach (var pod in pods.Take(3))
        {
            await api.WaitForControllersIdleAsync();
            var d = api.Store.Get<V1Deployment>(Ns, "web")!;
            availability.Add((d.Status?.AvailableReplicas, Condition(d, "Available")?.Status, Condition(d, "Available")?.Reason));
            SetReady(api, pod, ready: true, ip: $"127.0.1.{availability.Count}");
        }
        await api.WaitForControllersIdleAsync();
        var last = api.Store.Get<V1Deployment>(Ns, "web")!;
        availability.Add((last.Status?.AvailableReplicas, Condition(last, "Available")?.Status, Condition(last, "Available")?.Reason));

        availability.Should().Equal(
            (null, "False", "MinimumReplicasUnavailable"),
            (1, "False", "MinimumReplicasUnavailable"),
            (2, "False", "MinimumReplicasUnavailable"),
            (3, "True", "MinimumReplicasAvailable"));
    }

    // Docs, "Rollover (aka multiple updates in-flight)": an update during a rollout makes a new ReplicaSet and the
    // one that was being scaled up becomes old and is scaled down.
    [Fact]
    public async Task A_template_change_mid_rollout_scales_the_intermediate_replicaset_down()
    {
        await using var api = await KubeApiEmulator.StartAsync(Options());
        var client = api.CreateClient();
        await client.AppsV1.CreateNamespacedDeploymentAsync(Deployment("web", replicas: 3, "chat:1", maxSurge: 1, maxUnavailable: 0), Ns);
        await RolledOutAsync(api, "web");
        api.Kubelet.Enabled = false;
        await SetImageAsync(client, "chat:2");
        await Eventually.ValueAsync(() => ReplicaSetsOf(api, "web").Select(r => r.Spec.Replicas ?? 0).ToList(),
            r => r.SequenceEqual([3, 1]), "chat:2 surging by one", Support.Wait);

        await SetImageAsync(client, "chat:3");
        var replicaSets = await Eventually.ValueAsync(() => ReplicaSetsOf(api, "web"),
            r => r.Count == 3 && r.Select(x => x.Spec.Replicas ?? 0).SequenceEqual([3, 0, 1]),
            "chat:2 scaled down to 0 and chat:3 surging", Support.Wait,
            r => string.Join(", ", r.Select(x => $"{x.Spec.Template.Spec.Containers[0].Image}={x.Spec.Replicas}")));
        api.Kubelet.Enabled = true;
        await RolledOutAsync(api, "web");

        replicaSets.Select(r => r.Spec.Template.Spec.Containers[0].Image).Should().Equal("chat:1", "chat:2", "chat:3");
        ReplicaSetsOf(api, "web").Select(r => r.Spec.Replicas).Should().Equal(0, 0, 3);
        Pods(api, "web").Should().HaveCount(3).And.OnlyContain(p => Image(p) == "chat:3");
        api.Store.Get<V1Deployment>(Ns, "web")!.Metadata.Annotations["deployment.kubernetes.io/revision"].Should().Be("3");
    }

    // Docs, "Recreate Deployment": "All existing Pods are killed before new ones are created".
    [Fact]
    public async Task Recreate_deletes_every_old_pod_before_it_creates_a_new_one()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2026-01-01T00:00:00Z"));
        await using var api = await KubeApiEmulator.StartAsync(Options(time: clock, stopDelay: TimeSpan.FromSeconds(10)));
        var client = api.CreateClient();
        await client.AppsV1.CreateNamespacedDeploymentAsync(Deployment("web", replicas: 2, "chat:1", recreate: true), Ns);
        await RolledOutAsync(api, "web");

        await SetImageAsync(client, "chat:2");
        await api.WaitForControllersIdleAsync();
        var whileOldStop = Pods(api, "web");
        clock.Advance(TimeSpan.FromSeconds(10));
        await RolledOutAsync(api, "web");

        whileOldStop.Should().HaveCount(2).And.OnlyContain(p => Image(p) == "chat:1" && IsTerminating(p), "old pods stop first");
        ReplicaSetsOf(api, "web").Select(r => r.Spec.Replicas).Should().Equal(0, 2);
        Pods(api, "web").Should().HaveCount(2).And.OnlyContain(p => Image(p) == "chat:2" && IsReady(p));
    }

    // Docs, "Pausing and Resuming a rollout of a Deployment": changes to a paused Deployment do not trigger a rollout.
    [Fact]
    public async Task A_paused_deployment_rolls_out_a_template_change_only_once_resumed()
    {
        await using var api = await KubeApiEmulator.StartAsync(Options());
        var client = api.CreateClient();
        await client.AppsV1.CreateNamespacedDeploymentAsync(Deployment("web", replicas: 2), Ns);
        await RolledOutAsync(api, "web");

        await PatchAsync(client, new { spec = new { paused = true, template = ImageTemplate("chat:2") } });
        await api.WaitForControllersIdleAsync();
        var paused = api.Store.Get<V1Deployment>(Ns, "web")!;
        var podsWhilePaused = Pods(api, "web");
        await PatchAsync(client, new { spec = new { paused = false } });
        await RolledOutAsync(api, "web");

        Condition(paused, "Progressing").Should().Match<V1DeploymentCondition>(c => c.Status == "Unknown" && c.Reason == "DeploymentPaused");
        podsWhilePaused.Should().HaveCount(2).And.OnlyContain(p => Image(p) == "chat:1");
        Pods(api, "web").Should().HaveCount(2).And.OnlyContain(p => Image(p) == "chat:2");
    }

    // Docs, "Complete Deployment": Progressing True with reason NewReplicaSetAvailable once every replica is updated
    // and available and no old replica runs.
    [Fact]
    public async Task A_completed_rollout_reports_new_replicaset_available_and_the_next_revision()
    {
        await using var api = await KubeApiEmulator.StartAsync(Options());
        var client = api.CreateClient();
        await client.AppsV1.CreateNamespacedDeploymentAsync(Deployment("web", replicas: 2), Ns);
        await RolledOutAsync(api, "web");

        await SetImageAsync(client, "chat:2");
        var done = await RolledOutAsync(api, "web");

        var newRs = ReplicaSetsOf(api, "web").Single(r => r.Spec.Template.Spec.Containers[0].Image == "chat:2");
        Condition(done, "Progressing")!.Message.Should().Be($"ReplicaSet \"{newRs.Metadata.Name}\" has successfully progressed.");
        Condition(done, "Available")!.Reason.Should().Be("MinimumReplicasAvailable");
        done.Metadata.Annotations["deployment.kubernetes.io/revision"].Should().Be("2");
        newRs.Metadata.Annotations["deployment.kubernetes.io/revision"].Should().Be("2");
        (done.Status.Replicas, done.Status.UpdatedReplicas, done.Status.ReadyReplicas, done.Status.AvailableReplicas, done.Status.UnavailableReplicas)
            .Should().Be((2, 2, 2, 2, null));
    }

    // Docs, "Failed Deployment": no progress for progressDeadlineSeconds turns Progressing False with reason
    // ProgressDeadlineExceeded.
    [Fact]
    public async Task A_rollout_without_progress_for_its_deadline_reports_progress_deadline_exceeded()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2026-01-01T00:00:00Z"));
        await using var api = await KubeApiEmulator.StartAsync(Options(kubelet: false, time: clock));
        var deployment = Deployment("web", replicas: 1);
        deployment.Spec.ProgressDeadlineSeconds = 60;
        await api.CreateClient().AppsV1.CreateNamespacedDeploymentAsync(deployment, Ns);
        await api.WaitForControllersIdleAsync();
        var before = Condition(api.Store.Get<V1Deployment>(Ns, "web")!, "Progressing");

        clock.Advance(TimeSpan.FromSeconds(62));
        await api.WaitForControllersIdleAsync();
        var after = Condition(api.Store.Get<V1Deployment>(Ns, "web")!, "Progressing");

        before?.Status.Should().Be("True", "the new ReplicaSet was created and scaled up");
        (after?.Status, after?.Reason).Should().Be(("False", "ProgressDeadlineExceeded"));
    }

    // Docs, "Min Ready Seconds": a new pod counts as available only after it has been ready for minReadySeconds.
    [Fact]
    public async Task Pods_count_as_available_only_after_min_ready_seconds()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2026-01-01T00:00:00Z"));
        await using var api = await KubeApiEmulator.StartAsync(Options(time: clock));
        await api.CreateClient().AppsV1.CreateNamespacedDeploymentAsync(Deployment("web", replicas: 2, minReadySeconds: 30), Ns);
        await api.WaitForControllersIdleAsync();
        var early = api.Store.Get<V1Deployment>(Ns, "web")!;

        clock.Advance(TimeSpan.FromSeconds(31));
        await api.WaitForControllersIdleAsync();
        var late = api.Store.Get<V1Deployment>(Ns, "web")!;

        (early.Status.ReadyReplicas, early.Status.AvailableReplicas, Condition(early, "Available")?.Status).Should().Be((2, null, "False"));
        (late.Status.ReadyReplicas, late.Status.AvailableReplicas, Condition(late, "Available")?.Status).Should().Be((2, 2, "True"));
    }

    // Docs, "Clean up Policy": revisionHistoryLimit old ReplicaSets are kept, older ones are garbage-collected.
    [Fact]
    public async Task Old_replicasets_beyond_the_revision_history_limit_are_deleted()
    {
        await using var api = await KubeApiEmulator.StartAsync(Options());
        var client = api.CreateClient();
        var deployment = Deployment("web", replicas: 1);
        deployment.Spec.RevisionHistoryLimit = 1;
        await client.AppsV1.CreateNamespacedDeploymentAsync(deployment, Ns);
        await RolledOutAsync(api, "web");

        foreach (var image in new[] { "chat:2", "chat:3" })
        {
            await SetImageAsync(client, image);
            await RolledOutAsync(api, "web");
        }
        await api.WaitForControllersIdleAsync();

        ReplicaSetsOf(api, "web").Select(r => (r.Spec.Template.Spec.Containers[0].Image, r.Spec.Replicas))
            .Should().Equal(("chat:2", 0), ("chat:3", 1));
    }

    // A patch, not a read-modify-replace: the controller writes the Deployment's status all the time.
    // The controller reference ("Garbage Collection", "Owners and dependents"): a controller acts only on what it
    // controls. A ReplicaSet whose controller reference another owner took (wspool's connection-aware rollouts) is no
    // longer the Deployment's: a template change starts the new ReplicaSet at full size and the old one keeps its pods.
    [Fact]
    public async Task A_replicaset_taken_over_by_another_owner_is_left_alone_and_the_new_template_starts_at_full_size()
    {
        await using var api = await KubeApiEmulator.StartAsync(Options());
        var client = api.CreateClient();
        await client.AppsV1.CreateNamespacedDeploymentAsync(Deployment("web", replicas: 3, "chat:1", maxSurge: 1, maxUnavailable: 0), Ns);
        await RolledOutAsync(api, "web");
        var owner = await client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "owner" } }, Ns);
        var old = ReplicaSetsOf(api, "web").Single();
        await client.AppsV1.PatchNamespacedReplicaSetAsync(new V1Patch(new V1ReplicaSet
        {
            Metadata = new V1ObjectMeta
            {
                ResourceVersion = old.Metadata.ResourceVersion,
                OwnerReferences = [new V1OwnerReference { ApiVersion = "v1", Kind = "ConfigMap", Name = "owner", Uid = owner.Metadata.Uid, Controller = true }],
            },
        }, V1Patch.PatchType.MergePatch), old.Metadata.Name, Ns);

        await SetImageAsync(client, "chat:2");

        await RolledOutAsync(api, "web");
        var pods = await Eventually.ValueAsync(() => Pods(api, "web"), p => p.Count(IsReady) == 6,
            "three new pods beside the three old ones", Support.Wait, Describe);
        pods.Count(p => Image(p) == "chat:2").Should().Be(3);
        pods.Count(p => Image(p) == "chat:1" && !IsTerminating(p)).Should().Be(3, "the old ReplicaSet is not the Deployment's to scale down");
        api.Store.Get<V1ReplicaSet>(Ns, old.Metadata.Name)!.Spec.Replicas.Should().Be(3);
    }

    [Fact]
    public async Task A_replicaset_patched_with_a_stale_resource_version_is_refused_with_409()
    {
        await using var api = await KubeApiEmulator.StartAsync(Options());
        var client = api.CreateClient();
        await client.AppsV1.CreateNamespacedDeploymentAsync(Deployment("web", replicas: 1), Ns);
        await RolledOutAsync(api, "web");
        var rs = ReplicaSetsOf(api, "web").Single();

        var act = () => client.AppsV1.PatchNamespacedReplicaSetAsync(new V1Patch(new V1ReplicaSet
        {
            Metadata = new V1ObjectMeta { ResourceVersion = "1", OwnerReferences = [] },
        }, V1Patch.PatchType.MergePatch), rs.Metadata.Name, Ns);

        (await act.Should().ThrowAsync<k8s.Autorest.HttpOperationException>()).Which.Response.StatusCode.Should().Be(HttpStatusCode.Conflict);
    }

    private static Task SetImageAsync(Kubernetes client, string image) =>
        PatchAsync(client, new { spec = new { template = ImageTemplate(image) } });

    private static object ImageTemplate(string image) => new { spec = new { containers = new[] { new { name = "main", image } } } };

    private static Task PatchAsync(Kubernetes client, object patch) =>
        client.AppsV1.PatchNamespacedDeploymentAsync(new V1Patch(patch, V1Patch.PatchType.StrategicMergePatch), "web", Ns);
}
