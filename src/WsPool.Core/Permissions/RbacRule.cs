namespace WsPool.Core.Permissions;

/// <summary>
/// One generated RBAC rule: neighbouring permissions that share group, verbs and reason become one rule with several
/// resources, as a person would write it.
/// </summary>
public sealed record RbacRule(string Group, IReadOnlyList<string> Resources, IReadOnlyList<string> Verbs, string Reason);
