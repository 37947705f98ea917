using WsPool.Core.Permissions;

namespace WsPool.Core.Tests.Permissions;

public class RbacRulesTests
{
    [Fact]
    public void Neighbouring_permissions_with_the_same_group_verbs_and_reason_become_one_rule()
    {
        Permission[] permissions =
        [
            new(RuleGroup.Namespaced, "", "services", ["list"], "why"),
            new(RuleGroup.Namespaced, "", "configmaps", ["list"], "why"),
            new(RuleGroup.Namespaced, "", "secrets", ["get", "list"], "why"),
            new(RuleGroup.Namespaced, "apps", "deployments", ["get", "list"], "why"),
        ];

        RbacRules.For(RuleGroup.Namespaced, permissions).Select(r => string.Join(",", r.Resources))
            .Should().Equal("services,configmaps", "secrets", "deployments");
    }

    [Fact]
    public void A_rule_group_holds_only_its_own_permissions()
    {
        RbacRules.ClusterScoped.SelectMany(r => r.Resources).Should().Equal("ingressclasses");
        RbacRules.LeaderElection.SelectMany(r => r.Resources).Should().Equal("leases");
        RbacRules.Namespaced.SelectMany(r => r.Resources).Should().NotContain(["ingressclasses", "leases"]);
    }

    [Fact]
    public void The_cluster_wide_rules_are_the_three_groups_in_order()
    {
        RbacRules.ClusterWide.Should().BeEquivalentTo([.. RbacRules.Namespaced, .. RbacRules.ClusterScoped, .. RbacRules.LeaderElection],
            o => o.WithStrictOrdering());
    }

    [Fact]
    public void Policy_rules_carry_each_rules_group_resources_and_verbs()
    {
        var secrets = RbacRules.PolicyRules(RuleGroup.Namespaced).Single(r => r.Resources.Contains("secrets"));

        secrets.ApiGroups.Should().Equal("");
        secrets.Verbs.Should().Equal("get", "list", "watch", "create", "patch", "delete");
    }

    [Fact]
    public void Secrets_are_the_only_owned_kind_read_back_with_get()
    {
        OperatorPermissions.OwnedKinds.Where(k => k.Verbs.Contains("get")).Select(k => k.Kind).Should().Equal("Secret");
        OperatorPermissions.OwnedKinds.Should().OnlyContain(k => k.Verbs.Intersect(OwnedKindPermission.OwningVerbs).Count() == 5);
    }

    [Theory]
    [InlineData("apps/v1", "apps", "v1")]
    [InlineData("v1", "", "v1")]
    [InlineData("gateway.networking.k8s.io/v1", "gateway.networking.k8s.io", "v1")]
    public void An_owned_kinds_group_and_version_come_from_its_api_version(string apiVersion, string group, string version)
    {
        var kind = new OwnedKindPermission(apiVersion, "Thing", "things");

        kind.Group.Should().Be(group);
        kind.Version.Should().Be(version);
    }

    [Fact]
    public void No_permission_uses_a_wildcard() =>
        OperatorPermissions.All.Should().NotContain(p => p.Group == "*" || p.Resource.Contains('*') || p.Verbs.Contains("*"));

    [Fact]
    public void Every_permission_says_why() =>
        OperatorPermissions.All.Should().OnlyContain(p => !string.IsNullOrWhiteSpace(p.Reason));
}
