using k8s.Models;

namespace WsPool.Core.Permissions;

/// <summary>The operator's permissions as RBAC rules, one list per <see cref="RuleGroup"/>.</summary>
public static class RbacRules
{
    /// <summary>What a Role in each watched namespace (or the ClusterRole) grants.</summary>
    public static IReadOnlyList<RbacRule> Namespaced => For(RuleGroup.Namespaced);

    public static IReadOnlyList<RbacRule> ClusterScoped => For(RuleGroup.ClusterScoped);

    public static IReadOnlyList<RbacRule> LeaderElection => For(RuleGroup.LeaderElection);

    /// <summary>The ClusterRole of a cluster-wide install: all three groups.</summary>
    public static IReadOnlyList<RbacRule> ClusterWide => [.. Namespaced, .. ClusterScoped, .. LeaderElection];

    public static IReadOnlyList<RbacRule> For(RuleGroup group, IEnumerable<Permission>? permissions = null)
    {
        var rules = new List<RbacRule>();
        foreach (var p in (permissions ?? OperatorPermissions.All).Where(p => p.RuleGroup == group))
        {
            var last = rules.Count > 0 ? rules[^1] : null;
            if (last is not null && last.Group == p.Group && last.Reason == p.Reason && last.Verbs.SequenceEqual(p.Verbs))
                rules[^1] = last with { Resources = [.. last.Resources, p.Resource] };
            else
                rules.Add(new RbacRule(p.Group, [p.Resource], p.Verbs, p.Reason));
        }
        return rules;
    }

    /// <summary>The rules of one group as the Kubernetes API types, for code that compares or applies them.</summary>
    public static IReadOnlyList<V1PolicyRule> PolicyRules(RuleGroup group) => [.. For(group).Select(ToPolicyRule)];

    public static V1PolicyRule ToPolicyRule(this RbacRule rule) =>
        new() { ApiGroups = [rule.Group], Resources = [.. rule.Resources], Verbs = [.. rule.Verbs] };
}
