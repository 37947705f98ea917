using k8s;
using k8s.Models;

namespace WsPool.Install.Tests.Support;

/// <summary>RBAC rules in a comparable form: one (group, resource, verb) triple per permission.</summary>
internal static class Rbac
{
    public static SortedSet<string> Permissions(IEnumerable<V1PolicyRule> rules) =>
        new(rules.SelectMany(r =>
            from g in r.ApiGroups ?? []
            from res in r.Resources ?? []
            from v in r.Verbs
            select $"{g}/{res}:{v}"), StringComparer.Ordinal);

    /// <summary>The ClusterRole in crds/operator-rbac.yaml, the reference the operator tests check.</summary>
    public static V1ClusterRole ReferenceClusterRole() =>
        KubernetesYaml.LoadAllFromString(Repo.Read("crds", "operator-rbac.yaml")).OfType<V1ClusterRole>().Single();
}
