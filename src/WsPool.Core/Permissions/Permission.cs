namespace WsPool.Core.Permissions;

/// <summary>
/// Verbs on one resource that the operator needs, and why: the reason is printed as a comment above the rule, so a
/// reviewer of the generated RBAC sees what each grant is for.
/// </summary>
/// <param name="RuleGroup">Where the grant is bound.</param>
/// <param name="Group">The API group; "" is the core group.</param>
/// <param name="Resource">The plural resource, with "/subresource" where the grant is for a subresource.</param>
/// <param name="Verbs">In the order the rule lists them.</param>
/// <param name="Reason">One line on what the operator does with these verbs.</param>
public sealed record Permission(RuleGroup RuleGroup, string Group, string Resource, IReadOnlyList<string> Verbs, string Reason);
