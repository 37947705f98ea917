using WsPool.Core.Api;

namespace WsPool.Core.Balancers;

/// <summary>haproxy-ingress (haproxy-ingress.github.io annotations): it can express every timeout and cookie setting.</summary>
public sealed class HAProxyIngressBalancer : IngressBalancer
{
    public override string Product => "haproxy-ingress";

    public override IngressController Controller => IngressController.HAProxyIngress;

    public override IEnumerable<ValidationError> Check(WebSocketPoolSpec spec) => [];

    public override Dictionary<string, string> Annotations(WebSocketPoolSpec spec)
    {
        const string p = "haproxy-ingress.github.io/";
        var t = spec.Timeouts;
        var a = new Dictionary<string, string>
        {
            [p + "balance-algorithm"] = HAProxyBalance(spec.Affinity),
            [p + "timeout-tunnel"] = BalancerDuration.Format(t.Tunnel),
            [p + "timeout-connect"] = BalancerDuration.Format(t.Connect),
            [p + "timeout-server"] = BalancerDuration.Format(t.Server),
            [p + "timeout-server-fin"] = BalancerDuration.Format(t.ServerFin),
            [p + "timeout-http-request"] = BalancerDuration.Format(t.HttpRequest),
            [p + "timeout-queue"] = BalancerDuration.Format(t.Queue),
            [p + "maxconn-server"] = Invariant(spec.Connections.Limit),
            [p + "health-check-uri"] = spec.HealthCheck.Path,
            [p + "health-check-interval"] = BalancerDuration.Format(spec.HealthCheck.Interval),
            [p + "health-check-fall-count"] = Invariant(spec.HealthCheck.Fall),
            [p + "health-check-rise-count"] = Invariant(spec.HealthCheck.Rise),
        };
        if (spec.Affinity.Type == AffinityType.Cookie)
        {
            var cookie = spec.Affinity.Cookie ?? new CookieAffinitySpec();
            var keywords = new List<string> { "indirect", "nocache" };
            if (cookie.HttpOnly) keywords.Add("httponly");
            if (cookie.Secure) keywords.Add("secure");
            keywords.Add($"attr SameSite={cookie.SameSite}");
            if (cookie.MaxIdle is not null) keywords.Add($"maxidle {BalancerDuration.FormatSeconds(cookie.MaxIdle)}");
            if (cookie.MaxAge is not null) keywords.Add($"maxlife {BalancerDuration.FormatSeconds(cookie.MaxAge)}");
            a[p + "affinity"] = "cookie";
            a[p + "session-cookie-name"] = cookie.Name;
            a[p + "session-cookie-strategy"] = "insert";
            a[p + "session-cookie-dynamic"] = "true";
            a[p + "session-cookie-keywords"] = string.Join(' ', keywords);
        }
        if (spec.Balancer.Tls is { } tls) a[p + "ssl-redirect"] = tls.RedirectHttp ? "true" : "false";
        return a;
    }
}
