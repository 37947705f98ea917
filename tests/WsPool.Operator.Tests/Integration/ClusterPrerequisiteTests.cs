using k8s;
using k8s.Models;
using WsPool.Core.Api;
using WsPool.Core.Intent;
using WsPool.Core.Rendering;
using WsPool.KubeEmulator.Resources;

namespace WsPool.Operator.Tests.Integration;

/// <summary>
/// A balancer kind whose cluster prerequisite is missing (the Gateway API's CRD, a named IngressClass) is reported by
/// name, retried with backoff rather than in a loop, and recovers by itself once the prerequisite appears.
/// </summary>
public sealed class ClusterPrerequisiteTests
{
    private const string GatewayDiscovery = "/apis/gateway.networking.k8s.io/v1";

    /// <summary>Short retries so recovery is quick here; leader election on, so lease renewals can mark time.</summary>
    private static WsPool.Operator.Hosting.OperatorOptions Options() => TestCluster.TestOptions() with
    {
        LeaderElection = true,
        PrerequisiteRetryFirst = TimeSpan.FromMilliseconds(500),
        PrerequisiteRetryMax = TimeSpan.FromSeconds(2),
    };

    [Fact]
    public async Task A_Gateway_pool_without_the_Gateway_API_is_Degraded_GatewayAPIMissing_backs_off_and_recovers_once_the_CRD_is_installed()
    {
        await using var cluster = await TestCluster.StartAsync(omitResources: [StandInCrds.HttpRoutesName]);
        await cluster.StartOperatorAsync(Options());
        var lobby = TestCluster.LoadExample("examples/game-lobby.yaml");
        lobby.Spec.Scaling.Enabled = false; // no autoscaler polls: only the prerequisite's backoff brings the pool back
        var pool = await cluster.CreatePoolAsync(lobby);
        var (ns, name) = (pool.Metadata.NamespaceProperty, pool.Metadata.Name);

        var degraded = await Eventually.ValueAsync(() => TestCluster.Condition(cluster.GetPool(ns, name), "Degraded"),
            c => c is { Status: "True", Reason: "GatewayAPIMissing" }, "Degraded GatewayAPIMissing");

        degraded!.Message.Should().Be("the Gateway API is not installed: CRD httproutes.gateway.networking.k8s.io (v1) not found; " +
            "install the Gateway API experimental channel (its HTTPRoute sessionPersistence carries the pool's affinity)");
        TestCluster.Condition(cluster.GetPool(ns, name), "Ready").Should().Match<V1Condition>(c =>
            c.Status == "False" && c.Reason == "GatewayAPIMissing" && c.Message == degraded.Message);
        // Named by the first reconcile: nothing was sent to the missing API, and no attempt failed with an opaque error.
        cluster.OperatorRequests().Should().NotContain(r => r.Resource == "httproutes" && r.IsWrite);
        await Eventually.TrueAsync(() => cluster.EventsFor(pool).Any(e => e.Type == "Warning"), "a Warning event", state: () => cluster.EventsFor(pool));
        cluster.EventsFor(pool).Where(e => e.Type == "Warning").Should().ContainSingle()
            .Which.Reason.Should().Be("GatewayAPIMissing");
        // Everything the cluster can take is applied: the pods run and wait for their route.
        var rendered = PoolIntent.For(cluster.GetPool(ns, name)!, new RenderOptions()).Objects
            .Where(o => o.Kind != "HTTPRoute").Select(o => $"{o.Kind}/{o.Metadata.Name}").Order().ToList();
        await Eventually.ValueAsync(() => Owned(cluster, pool), o => o.SequenceEqual(rendered), "every object but the HTTPRoute");

        // No hot loop: while the operator renews its lease 12 times (every 500 ms), it looks for the Gateway API a few
        // times (backoff 0.5 s doubling to 2 s); a reconcile loop would look hundreds of times. Counts, not durations.
        int Checks() => cluster.OperatorRequests().Count(r => r.Path == GatewayDiscovery);
        int Renewals() => cluster.OperatorRequests().Count(r => r.Resource == "leases" && r.Verb == "update");
        var (checksBefore, renewalsBefore) = (Checks(), Renewals());
        await Eventually.ValueAsync(Renewals, n => n >= renewalsBefore + 12, "12 lease renewals");
        (Checks() - checksBefore).Should().BeInRange(1, 8, "the Gateway API is looked for again with backoff, not in a loop");
        cluster.OperatorRequests().Should().NotContain(r => r.Resource == "httproutes" && r.IsWrite);

        // Recovery: installing the CRD is all it takes.
        await cluster.Client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(
            KubernetesYaml.Deserialize<V1CustomResourceDefinition>(StandInCrds.HttpRoutesYaml));
        await Eventually.ValueAsync(() => cluster.GetPool(ns, name), TestCluster.IsReady, "Ready once the CRD is installed");

        TestCluster.Condition(cluster.GetPool(ns, name), "Degraded")!.Reason.Should().Be("AsExpected");
        cluster.Api.Store.ListJson(cluster.Api.Store.Resolve("gateway.networking.k8s.io/v1", "HTTPRoute"), ns)
            .Should().ContainSingle(r => (string?)r["metadata"]!["name"] == name);
    }

    [Fact]
    public async Task An_Ingress_pool_naming_a_missing_IngressClass_is_Degraded_IngressClassMissing_until_the_class_exists()
    {
        await using var cluster = await TestCluster.StartAsync();
        await cluster.StartOperatorAsync(Options());
        var named = await cluster.CreatePoolAsync(IngressPool("chat-named", className: "nginx"));
        // Without a className the cluster's default class applies, and Kubernetes does not require one to exist.
        var unnamed = await cluster.CreatePoolAsync(IngressPool("chat-default", className: null));

        var degraded = await Eventually.ValueAsync(() => TestCluster.Condition(cluster.GetPool("chat", "chat-named"), "Degraded"),
            c => c is { Status: "True", Reason: "IngressClassMissing" }, "Degraded IngressClassMissing");
        await Eventually.ValueAsync(() => cluster.GetPool("chat", "chat-default"), TestCluster.IsReady, "the pool without a className Ready");

        degraded!.Message.Should().Be("IngressClass nginx (spec.balancer.ingress.className) not found; install ingress-nginx, " +
            "which creates its IngressClass, or set className to an existing class (kubectl get ingressclass)");
        // The API server takes an Ingress whatever its class, so it is applied and waits for its controller.
        cluster.Api.Store.Get<V1Ingress>("chat", "chat-named")!.Spec.IngressClassName.Should().Be("nginx");
        cluster.OperatorRequests().Should().NotContain(r => r.Resource == "ingressclasses" && r.Verb != "get",
            "the class is read by name, never listed or watched");

        await cluster.Client.NetworkingV1.CreateIngressClassAsync(new V1IngressClass
        {
            Metadata = new V1ObjectMeta { Name = "nginx" },
            Spec = new V1IngressClassSpec { Controller = "k8s.io/ingress-nginx" },
        });
        await Eventually.ValueAsync(() => cluster.GetPool("chat", "chat-named"), TestCluster.IsReady, "Ready once the class exists");

        TestCluster.Condition(cluster.GetPool("chat", "chat-named"), "Degraded")!.Reason.Should().Be("AsExpected");
        cluster.EventsFor(named).Where(e => e.Type == "Warning").Should().ContainSingle().Which.Reason.Should().Be("IngressClassMissing");
        cluster.EventsFor(unnamed).Should().NotContain(e => e.Type == "Warning");
    }

    /// <summary>examples/chat.yaml behind an ingress-nginx Ingress.</summary>
    internal static WebSocketPool IngressPool(string name, string? className)
    {
        var pool = TestCluster.LoadExample("examples/chat.yaml");
        pool.Metadata.Name = name;
        pool.Spec.Broker = new BrokerSpec();
        pool.Spec.Balancer = new BalancerSpec
        {
            Type = BalancerType.Ingress,
            Ingress = new IngressBalancerSpec { Controller = IngressController.IngressNginx, ClassName = className, Host = "chat.example.com" },
        };
        return pool;
    }

    private static List<string> Owned(TestCluster cluster, WebSocketPool pool) =>
        cluster.OwnedBy(pool).Select(o => $"{o["kind"]}/{o["metadata"]!["name"]}").Order().ToList();
}
