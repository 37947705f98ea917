using WsPool.Balancers.Tests.Support;
using WsPool.Core.Api;
using WsPool.Core.Balancers;
using WsPool.Core.Rendering;

namespace WsPool.Balancers.Tests;

/// <summary>What each balancer kind needs the cluster to provide, and that the API prerequisites cover what it renders.</summary>
public class ClusterPrerequisitesTests
{
    [Fact]
    public void Managed_balancers_need_nothing_an_Ingress_its_named_class_and_a_Gateway_the_HTTPRoute_CRD()
    {
        BalancerKinds.PrerequisitesOf(Repo.Pool(s => s.Balancer.Type = BalancerType.HAProxy).Spec).Should().BeEmpty();
        BalancerKinds.PrerequisitesOf(Repo.Pool(s => s.Balancer.Type = BalancerType.Nginx).Spec).Should().BeEmpty();
        BalancerKinds.PrerequisitesOf(Ingress(className: null).Spec).Should().BeEmpty("an unset class is the cluster's default, which need not exist");
        BalancerKinds.PrerequisitesOf(Ingress(className: "public").Spec).Should().Equal(new IngressClassPrerequisite("public", "the HAProxy Kubernetes Ingress Controller"));

        var route = BalancerKinds.PrerequisitesOf(Gateway(AffinityType.None).Spec).Should().ContainSingle().Which.As<ApiResourcePrerequisite>();
        (route.Reason, route.CrdName, route.ApiVersion, route.Kind).Should().Be(
            ("GatewayAPIMissing", "httproutes.gateway.networking.k8s.io", "gateway.networking.k8s.io/v1", "HTTPRoute"));
    }

    [Fact]
    public void Messages_name_exactly_what_to_install()
    {
        BalancerKinds.PrerequisitesOf(Gateway(AffinityType.None).Spec).Single().MissingMessage.Should().Be(
            "the Gateway API is not installed: CRD httproutes.gateway.networking.k8s.io (v1) not found; install the Gateway API standard channel");
        BalancerKinds.PrerequisitesOf(Gateway(AffinityType.Header).Spec).Single().MissingMessage.Should().EndWith(
            "install the Gateway API experimental channel (its HTTPRoute sessionPersistence carries the pool's affinity)");
        BalancerKinds.PrerequisitesOf(Ingress("public").Spec).Single().MissingMessage.Should().Be(
            "IngressClass public (spec.balancer.ingress.className) not found; install the HAProxy Kubernetes Ingress Controller, " +
            "which creates its IngressClass, or set className to an existing class (kubectl get ingressclass)");
    }

    [Fact]
    public void Every_object_a_Gateway_pool_renders_from_a_CRD_is_covered_by_its_prerequisites()
    {
        var pool = Gateway(AffinityType.None);
        var api = BalancerKinds.PrerequisitesOf(pool.Spec).OfType<ApiResourcePrerequisite>().ToList();

        var fromCrds = BalancerKinds.Render(pool, new RenderOptions()).Objects
            .Where(o => !BuiltIn.Contains(o.ApiVersion?.Split('/')[0] ?? "")).ToList();

        fromCrds.Should().NotBeEmpty().And.OnlyContain(o => api.Any(p => p.Serves(o.ApiVersion, o.Kind)));
    }

    /// <summary>Groups (first part of the apiVersion) every cluster serves.</summary>
    private static readonly HashSet<string> BuiltIn = ["v1", "apps", "policy", "networking.k8s.io"];

    private static WebSocketPool Ingress(string? className) => Repo.Pool(s =>
    {
        s.Balancer.Type = BalancerType.Ingress;
        s.Balancer.Ingress = new IngressBalancerSpec { Controller = IngressController.HAProxyTech, ClassName = className };
    });

    private static WebSocketPool Gateway(AffinityType affinity) => Repo.Pool(s =>
    {
        s.Balancer.Type = BalancerType.Gateway;
        s.Balancer.Gateway = new GatewayBalancerSpec { ParentRefs = [new GatewayParentRef { Name = "public" }] };
        s.Affinity.Type = affinity;
        if (affinity == AffinityType.Header) s.Affinity.Header = new NamedKeySpec { Name = "X-Lobby" };
    });
}
