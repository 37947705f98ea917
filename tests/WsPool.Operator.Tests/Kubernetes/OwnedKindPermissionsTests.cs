using WsPool.Core.Api;
using WsPool.Core.Intent;
using WsPool.Core.Permissions;
using WsPool.Core.Rendering;
using WsPool.Operator.Kubernetes;
using WsPool.Operator.Tests.Integration;

namespace WsPool.Operator.Tests.Kubernetes;

/// <summary>
/// The operator may only own what its RBAC (generated from <see cref="OperatorPermissions"/>) lets it write: a kind
/// added to the renderer or to <see cref="OwnedKinds"/> without its permissions would be refused in a real cluster.
/// </summary>
public sealed class OwnedKindPermissionsTests
{
    [Fact]
    public void Every_kind_the_operator_owns_has_its_permissions()
    {
        var missing = new OwnedKinds().All
            .Where(k => OperatorPermissions.OwnedKind(k.ApiVersion, k.Kind)?.Resource != k.Plural)
            .Select(k => $"{k.ApiVersion} {k.Kind} ({k.Plural})");

        missing.Should().BeEmpty("add the kind to OperatorPermissions.OwnedKinds in src/WsPool.Core/Permissions, then run `make crds`");
    }

    [Fact]
    public void Every_kind_the_renderer_produces_has_its_permissions()
    {
        var rendered = RenderedKinds();

        rendered.Where(k => OperatorPermissions.OwnedKind(k.ApiVersion, k.Kind) is null).Should().BeEmpty(
            "add the kind to OperatorPermissions.OwnedKinds in src/WsPool.Core/Permissions, then run `make crds`");
    }

    [Fact]
    public void Every_owned_kind_permission_belongs_to_a_kind_the_operator_owns()
    {
        var owned = new OwnedKinds().All.Select(k => (k.ApiVersion, k.Kind)).ToHashSet();

        OperatorPermissions.OwnedKinds.Where(p => !owned.Contains((p.ApiVersion, p.Kind))).Should().BeEmpty(
            "a grant for a kind the operator never writes is more than it needs");
    }

    [Fact]
    public void The_rendered_pools_cover_every_balancer_type()
    {
        // Without this, a new balancer type could render a new kind that the test above never sees.
        Pools().Select(p => p.Spec.Balancer.Type).Distinct().Should().BeEquivalentTo(Enum.GetValues<BalancerType>());
    }

    private static HashSet<(string ApiVersion, string Kind)> RenderedKinds() =>
        Pools().SelectMany(p => PoolIntent.For(p, new RenderOptions()).Objects).Select(o => (o.ApiVersion, o.Kind)).ToHashSet();

    /// <summary>Every example (HAProxy with a Redis broker, NGINX, Gateway) and an Ingress pool.</summary>
    private static IEnumerable<WebSocketPool> Pools() =>
        Repository.ExampleFileNames().Select(name => TestCluster.LoadExample($"examples/{name}"))
            .Append(ClusterPrerequisiteTests.IngressPool("chat-ingress", className: "nginx"));
}
