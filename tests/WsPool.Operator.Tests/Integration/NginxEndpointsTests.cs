using k8s;
using k8s.Models;
using WsPool.Core.Api;
using WsPool.Core.Rendering;
using WsPool.Testing;

namespace WsPool.Operator.Tests.Integration;

/// <summary>
/// A managed NGINX pool's upstream servers follow the ready endpoints of its headless Service. The test writes the
/// EndpointSlices the way the EndpointSlice controller would (the Service's labels copied, plus
/// kubernetes.io/service-name); the operator must rewrite nginx.conf in the balancer ConfigMap and never touch the
/// balancer's pod template (the reloader sidecar applies the change with a HUP, no rollout).
/// </summary>
public sealed class NginxEndpointsTests
{
    private const string Ns = "markets";
    private const string PoolName = "ticker";

    private static V1EndpointSlice Slice(string name, string service, string component, int port, params (string Ip, bool? Ready)[] endpoints)
    {
        var labels = PoolLabels.For(PoolName, component);
        labels["kubernetes.io/service-name"] = service;
        labels["endpointslice.kubernetes.io/managed-by"] = "endpointslice-controller.k8s.io";
        return new V1EndpointSlice
        {
            ApiVersion = "discovery.k8s.io/v1",
            Kind = "EndpointSlice",
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = Ns, Labels = labels },
            AddressType = "IPv4",
            Ports = [new Discoveryv1EndpointPort { Name = BackendPort.ServicePortName, Port = port, Protocol = "TCP" }],
            Endpoints = endpoints.Select(e => new V1Endpoint
            {
                Addresses = [e.Ip],
                Conditions = new V1EndpointConditions { Ready = e.Ready },
            }).ToList(),
        };
    }

    /// <summary>The upstream's pod servers (host:port), in config order; the placeholder (no max_conns) is not one.</summary>
    private static List<string> Servers(string nginxConf) =>
        nginxConf.Split('\n').Select(l => l.Trim())
            .Where(l => l.StartsWith("server ", StringComparison.Ordinal) && l.Contains("max_conns", StringComparison.Ordinal))
            .Select(l => l.Split(' ')[1])
            .ToList();

    [Fact]
    public async Task The_nginx_config_follows_the_headless_services_ready_endpoints_without_rolling_the_balancer()
    {
        await using var cluster = await TestCluster.StartAsync();
        await cluster.StartOperatorAsync();
        var pool = TestCluster.LoadExample("examples/ticker.yaml");
        pool.Spec.Balancer.Type.Should().Be(BalancerType.Nginx);
        await cluster.CreatePoolAsync(pool);
        await cluster.WaitForReadyAsync(Ns, PoolName);
        var names = PoolNames.Of(pool);
        var port = BackendPort.Number(pool);
        string Config() => cluster.Api.Store.Get<V1ConfigMap>(Ns, names.Balancer)!.Data["nginx.conf"];
        V1Deployment Balancer() => cluster.Api.Store.Get<V1Deployment>(Ns, names.Balancer)!;
        var template = KubernetesJson.Serialize(Balancer().Spec.Template);
        var generation = Balancer().Metadata.Generation;
        Config().Should().Contain("127.0.0.1:9 down", "no pod is ready yet");

        // Two ready pods behind the headless Service; the ClusterIP Service's slice (other addresses) is not NGINX's.
        var slices = cluster.Client.DiscoveryV1;
        await slices.CreateNamespacedEndpointSliceAsync(
            Slice("ticker-headless-x1", names.HeadlessService, PoolLabels.BackendComponent, port, ("10.1.0.2", true), ("10.1.0.10", null)), Ns);
        await slices.CreateNamespacedEndpointSliceAsync(
            Slice("ticker-x1", names.Backend, PoolLabels.BackendComponent, port, ("10.9.9.9", true)), Ns);

        var config = await Eventually.ValueAsync(Config, c => Servers(c).Count == 2, "both endpoints in nginx.conf");
        Servers(config).Should()
            .Equal([$"10.1.0.2:{port}", $"10.1.0.10:{port}"], "ready endpoints (a missing ready condition means ready), sorted by address");
        config.Should().NotContain("10.9.9.9").And.NotContain("127.0.0.1:9 down");

        // One pod turns not ready (draining) and a third becomes ready, in a second slice.
        var first = await slices.ReadNamespacedEndpointSliceAsync("ticker-headless-x1", Ns);
        first.Endpoints[0].Conditions.Ready = false;
        await slices.ReplaceNamespacedEndpointSliceAsync(first, "ticker-headless-x1", Ns);
        await slices.CreateNamespacedEndpointSliceAsync(
            Slice("ticker-headless-x2", names.HeadlessService, PoolLabels.BackendComponent, port, ("10.1.0.3", true)), Ns);

        await Eventually.ValueAsync(() => Servers(Config()), s => s.SequenceEqual([$"10.1.0.3:{port}", $"10.1.0.10:{port}"]),
            "nginx.conf lists exactly the ready endpoints after the change");

        // Every slice gone (the pool scaled to zero ready pods): the placeholder, which nginx -t accepts, comes back.
        await slices.DeleteNamespacedEndpointSliceAsync("ticker-headless-x1", Ns);
        await slices.DeleteNamespacedEndpointSliceAsync("ticker-headless-x2", Ns);
        await Eventually.ValueAsync(Config, c => c.Contains("127.0.0.1:9 down", StringComparison.Ordinal), "placeholder without ready endpoints");

        KubernetesJson.Serialize(Balancer().Spec.Template).Should().Be(template, "endpoint changes are reloaded in place, never rolled out");
        Balancer().Metadata.Generation.Should().Be(generation);
    }
}
