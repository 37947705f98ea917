using WsPool.Core.Api;

namespace WsPool.Core.Validation;

/// <summary>
/// The C# counterpart of every [CelRule] on the API types, keyed by the rule's exact text. The CRD carries the CEL
/// for the API server; the validator evaluates these. A test fails when a [CelRule] has no entry here, so the two
/// cannot drift apart silently.
/// </summary>
public static class CelRuleChecks
{
    /// <summary>
    /// What wspool says when a rule fails: the rule's message, or, where one is registered in <see cref="Explanations"/>,
    /// a message that also names the values that broke it (the API server's own message stays static: a
    /// messageExpression costs CEL budget, and the field is what both judges must agree on).
    /// </summary>
    public static string Explain(CelRuleAttribute rule, object target) =>
        Explanations.TryGetValue(rule.Rule, out var explain) ? explain(target) : rule.Message;

    /// <summary>Rule text → wspool's message with the values that broke the rule; rules without one report their message.</summary>
    public static readonly IReadOnlyDictionary<string, Func<object, string>> Explanations = new Dictionary<string, Func<object, string>>(StringComparer.Ordinal)
    {
        ["!has(self.cookie) || (has(self.type) && self.type == 'Cookie')"] =
            o => $"only applies when type is Cookie (type is {((AffinitySpec)o).Type})",
        ["!has(self.header) || (has(self.type) && self.type == 'Header')"] =
            o => $"only applies when type is Header (type is {((AffinitySpec)o).Type})",
        ["!has(self.queryParam) || (has(self.type) && self.type == 'QueryParam')"] =
            o => $"only applies when type is QueryParam (type is {((AffinitySpec)o).Type})",
        ["!has(self.ingress) || (has(self.type) && self.type == 'Ingress')"] =
            o => $"only applies when type is Ingress (type is {((BalancerSpec)o).Type})",
        ["!has(self.gateway) || (has(self.type) && self.type == 'Gateway')"] =
            o => $"only applies when type is Gateway (type is {((BalancerSpec)o).Type})",
        ["!has(self.external) || (has(self.type) && self.type == 'External')"] =
            o => $"only applies when type is External (type is {((BrokerSpec)o).Type})",
    };

    /// <summary>Rule text → a predicate on the annotated object that is true when the rule holds.</summary>
    public static readonly IReadOnlyDictionary<string, Func<object, bool>> ByRule = new Dictionary<string, Func<object, bool>>(StringComparer.Ordinal)
    {
        ["!has(self.minReplicas) || !has(self.maxReplicas) || self.minReplicas <= self.maxReplicas"] =
            o => o is not WebSocketPoolSpec s || s.MinReplicas <= s.MaxReplicas,
        ["!has(self.replicas) || !has(self.minReplicas) || !has(self.maxReplicas) || (self.replicas >= self.minReplicas && self.replicas <= self.maxReplicas)"] =
            o => o is not WebSocketPoolSpec s || s.Replicas is not { } r || (r >= s.MinReplicas && r <= s.MaxReplicas),
        ["!has(self.target) || !has(self.limit) || self.target <= self.limit"] =
            o => o is not ConnectionsSpec c || c.Target <= c.Limit,
        ["!has(self.type) || self.type != 'Header' || has(self.header)"] =
            o => o is not AffinitySpec a || a.Type != AffinityType.Header || a.Header is not null,
        ["!has(self.type) || self.type != 'QueryParam' || has(self.queryParam)"] =
            o => o is not AffinitySpec a || a.Type != AffinityType.QueryParam || a.QueryParam is not null,
        ["!has(self.type) || self.type != 'Ingress' || has(self.ingress)"] =
            o => o is not BalancerSpec b || b.Type != BalancerType.Ingress || b.Ingress is not null,
        ["!has(self.type) || self.type != 'Gateway' || has(self.gateway)"] =
            o => o is not BalancerSpec b || b.Type != BalancerType.Gateway || b.Gateway is not null,
        ["!has(self.type) || self.type != 'External' || has(self.external)"] =
            o => o is not BrokerSpec b || b.Type != BrokerType.External || b.External is not null,
        ["!has(self.cookie) || (has(self.type) && self.type == 'Cookie')"] =
            o => o is not AffinitySpec a || a.Cookie is null || a.Type == AffinityType.Cookie,
        ["!has(self.header) || (has(self.type) && self.type == 'Header')"] =
            o => o is not AffinitySpec a || a.Header is null || a.Type == AffinityType.Header,
        ["!has(self.queryParam) || (has(self.type) && self.type == 'QueryParam')"] =
            o => o is not AffinitySpec a || a.QueryParam is null || a.Type == AffinityType.QueryParam,
        ["!has(self.ingress) || (has(self.type) && self.type == 'Ingress')"] =
            o => o is not BalancerSpec b || b.Ingress is null || b.Type == BalancerType.Ingress,
        ["!has(self.gateway) || (has(self.type) && self.type == 'Gateway')"] =
            o => o is not BalancerSpec b || b.Gateway is null || b.Type == BalancerType.Gateway,
        ["!has(self.external) || (has(self.type) && self.type == 'External')"] =
            o => o is not BrokerSpec b || b.External is null || b.Type == BrokerType.External,
    };
}
