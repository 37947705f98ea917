namespace WsPool.Core.Permissions;

/// <summary>
/// Where a permission is granted. The chart binds each group differently when it watches listed namespaces, so the
/// groups are kept apart even though a cluster-wide install puts all three in one ClusterRole.
/// </summary>
public enum RuleGroup
{
    /// <summary>In every namespace the operator watches (a Role per namespace, or the ClusterRole).</summary>
    Namespaced,

    /// <summary>Cluster-scoped objects, which no Role can grant.</summary>
    ClusterScoped,

    /// <summary>Only in the namespace the operator runs in, where its Lease lives.</summary>
    LeaderElection,
}
