using k8s.Models;
using WsPool.Install.Tests.Support;

namespace WsPool.Install.Tests.Kustomize;

/// <summary>The operator's permissions: no wildcards anywhere, Secrets only where needed.</summary>
public sealed class RbacLeastPrivilegeTests
{
    public static TheoryData<string> RbacSources => new()
    {
        "crds/operator-rbac.yaml",
        "charts/kustomize/operator-rbac.yaml",
        "charts/wspool-operator/templates/_rbac-rules.tpl",
        "charts/wspool-operator/templates/rbac.yaml",
    };

    [Theory]
    [MemberData(nameof(RbacSources))]
    public void No_rule_uses_a_wildcard(string file)
    {
        var text = Repo.Read(file.Split('/'));

        text.Should().NotContain("\"*\"").And.NotContain("'*'").And.NotMatchRegex(@"(verbs|resources|apiGroups):\s*\[?\s*\*");
    }

    [Fact]
    public void Secrets_leases_and_ingressclasses_are_the_only_kinds_read_with_get_and_nothing_is_escalated()
    {
        var permissions = Rbac.Permissions(Rbac.ReferenceClusterRole().Rules);

        permissions.Where(p => p.EndsWith(":get")).Should().BeEquivalentTo("/secrets:get", "coordination.k8s.io/leases:get",
            "networking.k8s.io/ingressclasses:get");
        permissions.Should().NotContain(p => p.EndsWith(":escalate") || p.EndsWith(":bind") || p.EndsWith(":impersonate"));
        permissions.Should().NotContain(p => p.StartsWith("rbac.authorization.k8s.io/") || p.Contains("/pods/exec"));
    }
}
