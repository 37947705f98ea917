#pragma warning disable CS0618 // WatchAsync is marked obsolete in KubernetesClient 21 but is the documented way to watch.
namespace WsPool.KubeEmulator.Tests;

/// <summary>discovery.k8s.io/v1 EndpointSlices: the operator lists and watches them to build NGINX's upstream servers.</summary>
public sealed class EndpointSliceTests
{
    private static V1EndpointSlice Slice(string name, string service, params (string Ip, bool Ready)[] endpoints) => new()
    {
        ApiVersion = "discovery.k8s.io/v1",
        Kind = "EndpointSlice",
        Metadata = new V1ObjectMeta
        {
            Name = name,
            Labels = new Dictionary<string, string> { ["kubernetes.io/service-name"] = service, ["app.kubernetes.io/instance"] = service },
        },
        AddressType = "IPv4",
        Ports = [new Discoveryv1EndpointPort { Name = "ws", Port = 8080, Protocol = "TCP" }],
        Endpoints = endpoints.Select(e => new V1Endpoint
        {
            Addresses = [e.Ip],
            Conditions = new V1EndpointConditions { Ready = e.Ready },
        }).ToList(),
    };

    [Fact]
    public async Task Discovery_serves_endpointslices_in_discovery_k8s_io_v1()
    {
        await using var api = await KubeApiEmulator.StartAsync();

        var resources = await api.CreateClient().DiscoveryV1.GetAPIResourcesAsync();

        resources.Resources.Should().Contain(r => r.Name == "endpointslices" && r.Kind == "EndpointSlice" && r.Namespaced);
    }

    [Fact]
    public async Task Endpointslices_are_created_updated_and_listed_by_label_selector()
    {
        await using var api = await KubeApiEmulator.StartAsync();
        var client = api.CreateClient();
        await client.DiscoveryV1.CreateNamespacedEndpointSliceAsync(Slice("a-1", "a", ("10.0.0.1", true)), "default");
        await client.DiscoveryV1.CreateNamespacedEndpointSliceAsync(Slice("b-1", "b", ("10.0.0.9", true)), "default");

        var created = await client.DiscoveryV1.ReadNamespacedEndpointSliceAsync("a-1", "default");
        created.Endpoints[0].Conditions.Ready = false;
        await client.DiscoveryV1.ReplaceNamespacedEndpointSliceAsync(created, "a-1", "default");
        var list = await client.DiscoveryV1.ListNamespacedEndpointSliceAsync("default", labelSelector: "kubernetes.io/service-name=a");

        list.Items.Should().ContainSingle().Which.Endpoints.Should().ContainSingle()
            .Which.Conditions.Ready.Should().BeFalse();
    }

    [Fact]
    public async Task A_watch_with_a_label_selector_streams_only_matching_endpointslices()
    {
        await using var api = await KubeApiEmulator.StartAsync();
        var client = api.CreateClient();
        var rv = (await client.DiscoveryV1.ListNamespacedEndpointSliceAsync("default")).Metadata.ResourceVersion;
        await using var watch = new WatchReader<V1EndpointSlice, V1EndpointSliceList>(ct =>
            client.DiscoveryV1.ListNamespacedEndpointSliceWithHttpMessagesAsync("default", watch: true, resourceVersion: rv,
                labelSelector: "app.kubernetes.io/instance=a", cancellationToken: ct));

        await client.DiscoveryV1.CreateNamespacedEndpointSliceAsync(Slice("b-1", "b", ("10.0.0.9", true)), "default");
        await client.DiscoveryV1.CreateNamespacedEndpointSliceAsync(Slice("a-1", "a", ("10.0.0.1", true)), "default");

        var first = await watch.NextAsync();
        first.Type.Should().Be(WatchEventType.Added);
        first.Object.Metadata.Name.Should().Be("a-1");
        first.Object.Endpoints.Should().ContainSingle().Which.Addresses.Should().Equal("10.0.0.1");
    }
}
