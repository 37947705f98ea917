using k8s.Models;
using WsPool.Core.Api;
using WsPool.Operator.Kubernetes;
using WsPool.Operator.Runtime;

namespace WsPool.Operator.Tests.Kubernetes;

/// <summary>Which addresses of a Service's EndpointSlices become a managed NGINX's upstream servers.</summary>
public sealed class PoolEndpointSlicesTests
{
    private static V1EndpointSlice Slice(string service, string addressType = "IPv4", List<Discoveryv1EndpointPort>? ports = null,
        params (string Ip, bool? Ready)[] endpoints) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = $"{service}-{Guid.NewGuid():N}"[..20],
            NamespaceProperty = "demo",
            Labels = new Dictionary<string, string> { ["kubernetes.io/service-name"] = service, ["app.kubernetes.io/instance"] = "chat" },
        },
        AddressType = addressType,
        Ports = ports ?? [new Discoveryv1EndpointPort { Name = "ws", Port = 8080 }],
        Endpoints = endpoints.Select(e => new V1Endpoint { Addresses = [e.Ip], Conditions = new V1EndpointConditions { Ready = e.Ready } }).ToList(),
    };

    [Fact]
    public void Ready_and_unknown_endpoints_count_not_ready_ones_do_not()
    {
        var slice = Slice("chat-headless", endpoints: [("10.0.0.1", true), ("10.0.0.2", false), ("10.0.0.3", null)]);

        PoolEndpointSlices.ReadyBackends([slice], "chat-headless").Should().Equal("10.0.0.1:8080", "10.0.0.3:8080");
    }

    [Fact]
    public void Addresses_from_every_slice_of_the_service_are_merged_deduplicated_and_sorted_numerically()
    {
        var a = Slice("chat-headless", endpoints: [("10.0.0.10", true), ("10.0.0.9", true)]);
        var b = Slice("chat-headless", endpoints: [("10.0.0.9", true), ("9.255.0.1", true)]);

        PoolEndpointSlices.ReadyBackends([a, b], "chat-headless").Should().Equal("9.255.0.1:8080", "10.0.0.9:8080", "10.0.0.10:8080");
        PoolEndpointSlices.ReadyBackends([b, a], "chat-headless").Should().Equal(PoolEndpointSlices.ReadyBackends([a, b], "chat-headless"));
    }

    [Fact]
    public void Slices_of_other_services_and_ipv6_slices_are_ignored()
    {
        var clusterIp = Slice("chat", endpoints: [("10.0.0.1", true)]);
        var v6 = Slice("chat-headless", addressType: "IPv6", endpoints: [("fd00::1", true)]);

        PoolEndpointSlices.ReadyBackends([clusterIp, v6], "chat-headless").Should().BeEmpty();
    }

    [Fact]
    public void The_port_is_the_one_named_like_the_services_port_or_the_only_one()
    {
        var named = Slice("chat-headless", ports: [new() { Name = "metrics", Port = 9090 }, new() { Name = "ws", Port = 9000 }], endpoints: [("10.0.0.1", true)]);
        var single = Slice("chat-headless", ports: [new() { Name = "other", Port = 7000 }], endpoints: [("10.0.0.2", true)]);
        var unknown = Slice("chat-headless", ports: [new() { Name = "a", Port = 1 }, new() { Name = "b", Port = 2 }], endpoints: [("10.0.0.3", true)]);

        PoolEndpointSlices.ReadyBackends([named, single, unknown], "chat-headless").Should().Equal("10.0.0.1:9000", "10.0.0.2:7000");
    }

    [Fact]
    public void A_slice_maps_to_its_pool_through_the_instance_label()
    {
        PoolEndpointSlices.PoolOf(Slice("chat-headless")).Should().Be(new ObjectKey("demo", "chat"));
        PoolEndpointSlices.PoolOf(new V1EndpointSlice { Metadata = new V1ObjectMeta { Name = "x", NamespaceProperty = "demo" } }).Should().BeNull();
    }

    [Fact]
    public void Only_a_managed_nginx_pool_gets_backends_in_its_render_options()
    {
        var endpoints = new PoolEndpointSlices();
        endpoints.Store.Upsert(Slice("chat-headless", endpoints: [("10.0.0.1", true)]), out _);
        WebSocketPool Pool(BalancerType type)
        {
            var pool = new WebSocketPool { Metadata = new V1ObjectMeta { Name = "chat", NamespaceProperty = "demo" } };
            pool.Spec.Balancer.Type = type;
            return pool;
        }

        endpoints.RenderOptionsFor(Pool(BalancerType.Nginx)).Backends.Should().Equal("10.0.0.1:8080");
        endpoints.RenderOptionsFor(Pool(BalancerType.HAProxy)).Backends.Should().BeNull();
    }
}
