using WsPool.Core.Api;
using WsPool.Core.Balancers;

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
        ["!has(self.layer) || self.layer != 'L4' || !has(self.type) || self.type == 'HAProxy' || self.type == 'Nginx'"] =
            o => $"L4 needs a managed balancer (HAProxy or Nginx); {((BalancerSpec)o).Type} routes HTTP only",
        ["!has(self.image) || !has(self.type) || self.type == 'HAProxy' || self.type == 'Nginx'"] =
            o => $"only applies to a managed balancer (HAProxy or Nginx), not {((BalancerSpec)o).Type}",
        ["!has(self.nginxVersion) || (has(self.type) && self.type == 'Nginx')"] =
            o => $"only applies when type is Nginx (type is {((BalancerSpec)o).Type})",
        ["!has(self.port) || !has(self.type) || self.type == 'HAProxy' || self.type == 'Nginx'"] =
            o => $"only applies to a managed balancer (HAProxy or Nginx), not {((BalancerSpec)o).Type}",
        ["!has(self.plainHttp) || self.plainHttp != 'Reject' || ((!has(self.type) || self.type == 'HAProxy' || self.type == 'Nginx') && (!has(self.layer) || self.layer != 'L4'))"] =
            o => Managed((BalancerSpec)o) ? "rejecting plain HTTP needs layer L7 (L4 does not look at HTTP); use Forward or layer L7" : $"the {((BalancerSpec)o).Type} balancer forwards every request on the path; plainHttp: Reject needs a managed balancer (HAProxy or Nginx)",
        ["!has(self.hashBalanceFactor) || (has(self.type) && (self.type == 'ClientIP' || self.type == 'Header' || self.type == 'QueryParam'))"] =
            o => $"only applies to the hash types ClientIP, Header and QueryParam (type is {((AffinitySpec)o).Type})",
        ["!has(self.balancer) || !has(self.balancer.layer) || self.balancer.layer != 'L4' || !has(self.affinity) || !has(self.affinity.type) || (self.affinity.type != 'Cookie' && self.affinity.type != 'Header' && self.affinity.type != 'QueryParam')"] =
            o => $"{((WebSocketPoolSpec)o).Affinity.Type} affinity reads HTTP and needs spec.balancer.layer L7; an L4 balancer can only use None or ClientIP",
        ["!has(self.affinity) || !has(self.affinity.hashBalanceFactor) || !has(self.affinity.type) || (self.affinity.type != 'ClientIP' && self.affinity.type != 'Header' && self.affinity.type != 'QueryParam') || !has(self.balancer) || !has(self.balancer.type) || self.balancer.type == 'HAProxy'"] =
            o => $"only the HAProxy balancer can bound hash load (hash-balance-factor); the {((WebSocketPoolSpec)o).Balancer.Type} balancer cannot, so remove it or use balancer type HAProxy",
        ["!has(self.balancer) || !has(self.balancer.type) || self.balancer.type != 'Gateway' || !has(self.affinity) || !has(self.affinity.type) || (self.affinity.type != 'ClientIP' && self.affinity.type != 'QueryParam')"] =
            o => $"an HTTPRoute's sessionPersistence pins by Cookie or Header only, not {((WebSocketPoolSpec)o).Affinity.Type}; use one of them or a managed balancer",
        ["!has(self.scaling) || !has(self.scaling.metrics) || !has(self.scaling.metrics.source) || self.scaling.metrics.source != 'Balancer' || !has(self.balancer) || !has(self.balancer.type) || self.balancer.type == 'HAProxy'"] =
            o => $"Balancer reads the managed HAProxy's per-server sessions and needs spec.balancer.type HAProxy (it is {((WebSocketPoolSpec)o).Balancer.Type}); use Pods",
        [PortRuleText.Port] = o => PortRules.Problem(((WebSocketPoolSpec)o).Port, ((WebSocketPoolSpec)o).Template)!,
        [PortRuleText.MetricsPort] = o => PortRules.Problem(((WebSocketPoolSpec)o).Scaling?.Metrics?.Port, ((WebSocketPoolSpec)o).Template)!,
        [PortRuleText.AdminPort] = o => PortRules.Problem(((WebSocketPoolSpec)o).Scaling?.Rebalance?.AdminPort, ((WebSocketPoolSpec)o).Template)!,
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
        ["!has(self.layer) || self.layer != 'L4' || !has(self.type) || self.type == 'HAProxy' || self.type == 'Nginx'"] =
            o => o is not BalancerSpec b || b.Layer != BalancerLayer.L4 || Managed(b),
        ["!has(self.image) || !has(self.type) || self.type == 'HAProxy' || self.type == 'Nginx'"] =
            o => o is not BalancerSpec b || b.Image is null || Managed(b),
        ["!has(self.nginxVersion) || (has(self.type) && self.type == 'Nginx')"] =
            o => o is not BalancerSpec b || b.NginxVersion is null || b.Type == BalancerType.Nginx,
        ["!has(self.port) || !has(self.type) || self.type == 'HAProxy' || self.type == 'Nginx'"] =
            o => o is not BalancerSpec b || b.Port is null || Managed(b),
        ["!has(self.tls) || !has(self.type) || self.type != 'Gateway'"] =
            o => o is not BalancerSpec b || b.Tls is null || b.Type != BalancerType.Gateway,
        ["!has(self.tls) || !has(self.tls.redirectHttp) || !self.tls.redirectHttp || !has(self.layer) || self.layer != 'L4' || (has(self.type) && self.type == 'Gateway')"] =
            o => o is not BalancerSpec b || b.Tls is not { RedirectHttp: true } || b.Layer != BalancerLayer.L4 || b.Type == BalancerType.Gateway,
        ["!has(self.plainHttp) || self.plainHttp != 'Reject' || ((!has(self.type) || self.type == 'HAProxy' || self.type == 'Nginx') && (!has(self.layer) || self.layer != 'L4'))"] =
            o => o is not BalancerSpec b || b.PlainHttp != PlainHttpPolicy.Reject || (Managed(b) && b.Layer != BalancerLayer.L4),
        ["!has(self.hashBalanceFactor) || (has(self.type) && (self.type == 'ClientIP' || self.type == 'Header' || self.type == 'QueryParam'))"] =
            o => o is not AffinitySpec a || a.HashBalanceFactor is null || Hashed(a.Type),
        ["!has(self.type) || self.type != 'Cookie' || !has(self.cookie) || !has(self.cookie.sameSite) || self.cookie.sameSite != 'None' || (has(self.cookie.secure) && self.cookie.secure)"] =
            o => o is not AffinitySpec a || a is not { Type: AffinityType.Cookie, Cookie: { SameSite: SameSiteMode.None, Secure: false } },
        ["!has(self.balancer) || !has(self.balancer.layer) || self.balancer.layer != 'L4' || !has(self.affinity) || !has(self.affinity.type) || (self.affinity.type != 'Cookie' && self.affinity.type != 'Header' && self.affinity.type != 'QueryParam')"] =
            o => o is not WebSocketPoolSpec s || s.Balancer?.Layer != BalancerLayer.L4 || s.Affinity?.Type is not (AffinityType.Cookie or AffinityType.Header or AffinityType.QueryParam),
        ["!has(self.affinity) || !has(self.affinity.hashBalanceFactor) || !has(self.affinity.type) || (self.affinity.type != 'ClientIP' && self.affinity.type != 'Header' && self.affinity.type != 'QueryParam') || !has(self.balancer) || !has(self.balancer.type) || self.balancer.type == 'HAProxy'"] =
            o => o is not WebSocketPoolSpec s || s.Affinity?.HashBalanceFactor is null || !Hashed(s.Affinity.Type) || s.Balancer is null || s.Balancer.Type == BalancerType.HAProxy,
        ["!has(self.balancer) || !has(self.balancer.type) || self.balancer.type != 'Gateway' || !has(self.affinity) || !has(self.affinity.type) || (self.affinity.type != 'ClientIP' && self.affinity.type != 'QueryParam')"] =
            o => o is not WebSocketPoolSpec s || s.Balancer?.Type != BalancerType.Gateway || s.Affinity?.Type is not (AffinityType.ClientIP or AffinityType.QueryParam),
        ["!has(self.balancer) || !has(self.balancer.type) || self.balancer.type != 'Gateway' || !has(self.affinity) || !has(self.affinity.type) || self.affinity.type != 'Cookie' || !has(self.affinity.cookie) || !has(self.affinity.cookie.secure) || !self.affinity.cookie.secure"] =
            o => o is not WebSocketPoolSpec s || s.Balancer?.Type != BalancerType.Gateway || s.Affinity is not { Type: AffinityType.Cookie, Cookie.Secure: true },
        ["!has(self.scaling) || !has(self.scaling.metrics) || !has(self.scaling.metrics.source) || self.scaling.metrics.source != 'Balancer' || !has(self.balancer) || !has(self.balancer.type) || self.balancer.type == 'HAProxy'"] =
            o => o is not WebSocketPoolSpec s || s.Scaling?.Metrics?.Source != MetricsSource.Balancer || s.Balancer is null || s.Balancer.Type == BalancerType.HAProxy,
        ["!has(self.scaling) || !has(self.scaling.metrics) || !has(self.scaling.metrics.port) || (has(self.scaling.metrics.source) ? self.scaling.metrics.source == 'Pods' : (has(self.balancer) && has(self.balancer.type) && self.balancer.type != 'HAProxy'))"] =
            o => o is not WebSocketPoolSpec s || s.Scaling?.Metrics?.Port is null || BalancerKinds.MetricsSourceOf(s) == MetricsSource.Pods,
        ["!has(self.rebalance) || !has(self.rebalance.enabled) || !self.rebalance.enabled || (has(self.enabled) && self.enabled)"] =
            o => o is not ScalingSpec s || s.Rebalance?.Enabled != true || s.Enabled,
        ["!has(self.enabled) || !self.enabled || !has(self.scaleUp) || !has(self.scaleUp.maxPods) || !has(self.scaleUp.maxPercent) || self.scaleUp.maxPods != 0 || self.scaleUp.maxPercent != 0"] =
            o => o is not ScalingSpec s || !s.Enabled || s.ScaleUp is not { MaxPods: 0, MaxPercent: 0 },
        [DrainSpec.TotalRule] =
            o => o is not DrainSpec d
                || !DurationParser.TryParse(d.Timeout, out var timeout)
                || !DurationParser.TryParse(d.PreStopDelay, out var preStop)
                || timeout + preStop <= DurationBounds.MaxTotalDrain,
        [PortRuleText.Port] = o => o is not WebSocketPoolSpec s || PortRules.Problem(s.Port, s.Template) is null,
        [PortRuleText.MetricsPort] = o => o is not WebSocketPoolSpec s || PortRules.Problem(s.Scaling?.Metrics?.Port, s.Template) is null,
        [PortRuleText.AdminPort] = o => o is not WebSocketPoolSpec s || PortRules.Problem(s.Scaling?.Rebalance?.AdminPort, s.Template) is null,
    };

    private static bool Managed(BalancerSpec b) => b.Type is BalancerType.HAProxy or BalancerType.Nginx;

    private static bool Hashed(AffinityType type) => type is AffinityType.ClientIP or AffinityType.Header or AffinityType.QueryParam;
}
