using Microsoft.Extensions.Time.Testing;
using static WsPool.KubeEmulator.Tests.Workloads;

namespace WsPool.KubeEmulator.Tests;

/// <summary>
/// Simulated workloads: the EndpointSlice controller as the EndpointSlice documentation describes it (one slice set
/// per Service with a selector; conditions ready, serving, terminating; ports from the Service's target ports).
/// </summary>
public sealed class EndpointSliceControllerTests
{
    [Fact]
    public async Task A_service_with_a_selector_gets_a_slice_of_its_pods_with_named_target_ports_resolved()
    {
        await using var api = await KubeApiEmulator.StartAsync(Options());
        var client = api.CreateClient();
        var service = await client.CoreV1.CreateNamespacedServiceAsync(Service("web", "rs"), Ns);
        await client.AppsV1.CreateNamespacedReplicaSetAsync(ReplicaSet("rs", replicas: 2), Ns);
        var pods = await Eventually.ValueAsync(() => Pods(api, "rs"), p => p.Count(IsReady) == 2, "two ready pods", Support.Wait, Describe);

        var slice = await SliceAsync(api, "web", s => s.Endpoints?.Count == 2 && s.Endpoints.All(e => e.Conditions.Ready == true));

        slice.Metadata.Labels.Should().Contain("kubernetes.io/service-name", "web")
            .And.Contain("endpointslice.kubernetes.io/managed-by", "endpointslice-controller.k8s.io")
            .And.Contain("app.kubernetes.io/instance", "rs", "the Service's labels are copied");
        slice.Metadata.OwnerReferences.Should().ContainSingle().Which.Uid.Should().Be(service.Metadata.Uid);
        slice.AddressType.Should().Be("IPv4");
        slice.Ports.Should().ContainSingle().Which.Should().Match<Discoveryv1EndpointPort>(p => p.Name == "ws" && p.Port == 8080 && p.Protocol == "TCP");
        slice.Endpoints.Select(e => e.Addresses.Single()).Should().BeEquivalentTo(pods.Select(p => p.Status.PodIP));
        slice.Endpoints.Should().OnlyContain(e => e.TargetRef.Kind == "Pod" && e.NodeName == "local" && e.Conditions.Serving == true
            && e.Conditions.Terminating == false);
    }

    // EndpointConditions docs: ready is false for a pod that is not ready; a terminating pod is terminating, not
    // ready, and serving while it still passes its readiness.
    [Fact]
    public async Task Only_ready_pods_are_ready_and_a_deleted_pod_is_terminating_while_it_stops()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2026-01-01T00:00:00Z"));
        await using var api = await KubeApiEmulator.StartAsync(Options(time: clock, stopDelay: TimeSpan.FromSeconds(30)));
        var client = api.CreateClient();
        await client.CoreV1.CreateNamespacedServiceAsync(Service("web", "rs"), Ns);
        await client.AppsV1.CreateNamespacedReplicaSetAsync(ReplicaSet("rs", replicas: 3), Ns);
        var pods = await Eventually.ValueAsync(() => Pods(api, "rs"), p => p.Count(IsReady) == 3, "three ready pods", Support.Wait, Describe);
        api.ReplicaSets.Enabled = false; // no replacement pod muddles the slice

        SetReady(api, pods[0], ready: false);
        await client.CoreV1.DeleteNamespacedPodAsync(pods[1].Metadata.Name, Ns);
        await api.WaitForControllersIdleAsync();

        var slice = await SliceAsync(api, "web", s => s.Endpoints?.Count == 3);
        var byPod = slice.Endpoints.ToDictionary(e => e.TargetRef.Name, e => (e.Conditions.Ready, e.Conditions.Serving, e.Conditions.Terminating));
        byPod[pods[0].Metadata.Name].Should().Be((false, false, false), "not ready");
        byPod[pods[1].Metadata.Name].Should().Be((false, true, true), "terminating, still serving");
        byPod[pods[2].Metadata.Name].Should().Be((true, true, false), "ready");
    }

    [Fact]
    public async Task A_pod_that_is_gone_leaves_the_slice()
    {
        await using var api = await KubeApiEmulator.StartAsync(Options());
        var client = api.CreateClient();
        await client.CoreV1.CreateNamespacedServiceAsync(Service("web", "rs"), Ns);
        await client.AppsV1.CreateNamespacedReplicaSetAsync(ReplicaSet("rs", replicas: 2), Ns);
        await SliceAsync(api, "web", s => s.Endpoints?.Count(e => e.Conditions.Ready == true) == 2);

        await client.AppsV1.PatchNamespacedReplicaSetScaleAsync(new V1Patch(new { spec = new { replicas = 0 } }, V1Patch.PatchType.MergePatch), "rs", Ns);

        var slice = await SliceAsync(api, "web", s => s.Endpoints is null or { Count: 0 });
        slice.Metadata.Labels.Should().Contain("kubernetes.io/service-name", "web", "a Service without endpoints keeps an empty slice");
    }

    [Fact]
    public async Task A_headless_service_gets_slices_too()
    {
        await using var api = await KubeApiEmulator.StartAsync(Options());
        var client = api.CreateClient();
        await client.CoreV1.CreateNamespacedServiceAsync(Service("web", "rs", clusterIp: "None"), Ns);
        await client.AppsV1.CreateNamespacedReplicaSetAsync(ReplicaSet("rs", replicas: 2), Ns);

        var slice = await SliceAsync(api, "web", s => s.Endpoints?.Count(e => e.Conditions.Ready == true) == 2);

        slice.Metadata.Labels.Should().ContainKey("service.kubernetes.io/headless");
    }

    [Fact]
    public async Task With_publish_not_ready_addresses_a_not_ready_pod_is_ready()
    {
        await using var api = await KubeApiEmulator.StartAsync(Options(kubelet: false));
        var client = api.CreateClient();
        await client.CoreV1.CreateNamespacedServiceAsync(Service("web", "rs", clusterIp: "None", publishNotReady: true), Ns);
        await client.AppsV1.CreateNamespacedReplicaSetAsync(ReplicaSet("rs", replicas: 1), Ns);
        var pod = (await Eventually.ValueAsync(() => Pods(api, "rs"), p => p.Count == 1, "a pod", Support.Wait, Describe)).Single();

        SetReady(api, pod, ready: false, ip: "127.0.0.7");

        var slice = await SliceAsync(api, "web", s => s.Endpoints?.Count == 1);
        slice.Endpoints.Single().Conditions.Should().Match<V1EndpointConditions>(c => c.Ready == true && c.Serving == false);
    }

    [Fact]
    public async Task A_service_without_a_selector_keeps_the_slices_someone_else_wrote()
    {
        await using var api = await KubeApiEmulator.StartAsync(Options());
        var client = api.CreateClient();
        var external = Service("external", "rs");
        external.Spec.Selector = null;
        await client.CoreV1.CreateNamespacedServiceAsync(external, Ns);
        var handMade = new V1EndpointSlice
        {
            ApiVersion = "discovery.k8s.io/v1",
            Kind = "EndpointSlice",
            Metadata = new V1ObjectMeta { Name = "external-1", Labels = new Dictionary<string, string> { ["kubernetes.io/service-name"] = "external" } },
            AddressType = "IPv4",
            Endpoints = [new V1Endpoint { Addresses = ["10.0.0.1"] }],
        };
        await client.DiscoveryV1.CreateNamespacedEndpointSliceAsync(handMade, Ns);
        await client.AppsV1.CreateNamespacedReplicaSetAsync(ReplicaSet("rs", replicas: 1), Ns);
        await Eventually.ValueAsync(() => Pods(api, "rs"), p => p.Count(IsReady) == 1, "a ready pod", Support.Wait, Describe);
        await api.WaitForControllersIdleAsync();

        api.Store.List<V1EndpointSlice>(Ns).Should().ContainSingle().Which.Endpoints.Single().Addresses.Should().Equal("10.0.0.1");
    }

    /// <summary>The Service's one slice once it satisfies <paramref name="until"/>.</summary>
    private static async Task<V1EndpointSlice> SliceAsync(KubeApiEmulator api, string service, Func<V1EndpointSlice, bool> until)
    {
        var slices = await Eventually.ValueAsync(
            () => api.Store.List<V1EndpointSlice>(Ns).Where(s => s.Metadata.Labels?.ContainsKey("kubernetes.io/service-name") == true
                && s.Metadata.Labels["kubernetes.io/service-name"] == service).ToList(),
            slices => slices.Count == 1 && until(slices[0]), $"the EndpointSlice of {service}", Support.Wait,
            slices => KubernetesJson.Serialize(slices));
        return slices.Single();
    }
}
