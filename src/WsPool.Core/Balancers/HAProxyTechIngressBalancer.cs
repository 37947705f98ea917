using WsPool.Core.Api;

namespace WsPool.Core.Balancers;

/// <summary>The HAProxy Kubernetes Ingress Controller (haproxy.org annotations; some settings only on the backend Service).</summary>
public sealed class HAProxyTechIngressBalancer : IngressBalancer
{
    public override string Product => "the HAProxy Kubernetes Ingress Controller";

    public override IngressController Controller => IngressController.HAProxyTech;

    public override IEnumerable<ValidationError> Check(WebSocketPoolSpec spec)
    {
        var affinity = spec.Affinity;
        var cookie = affinity.Cookie;
        if (affinity.Type == AffinityType.Cookie)
        {
            const string can = "the HAProxy Kubernetes Ingress Controller's cookie-persistence sets only the cookie name";
            if (cookie?.MaxAge is not null) yield return new("spec.affinity.cookie.maxAge", $"{can}; remove maxAge or use the managed HAProxy balancer");
            if (cookie?.MaxIdle is not null) yield return new("spec.affinity.cookie.maxIdle", $"{can}; remove maxIdle or use the managed HAProxy balancer");
            if (cookie?.Secure == true) yield return new("spec.affinity.cookie.secure", $"{can}; remove secure or use the managed HAProxy balancer");
        }
    }

    /// <summary>This controller reads cookie-persistence and pod-maxconn from the Service the Ingress routes to.</summary>
    public override IReadOnlyDictionary<string, string> BackendServiceAnnotations(WebSocketPool pool)
    {
        var spec = pool.Spec;
        var annotations = new Dictionary<string, string> { ["haproxy.org/pod-maxconn"] = Invariant(spec.Connections.Limit) };
        if (spec.Affinity.Type == AffinityType.Cookie)
            annotations["haproxy.org/cookie-persistence"] = (spec.Affinity.Cookie ?? new CookieAffinitySpec()).Name;
        return annotations;
    }

    public override IReadOnlyList<string> Notes(WebSocketPoolSpec spec) =>
        [$"The HAProxy Kubernetes Ingress Controller takes the tunnel timeout (idle WebSockets) only from its ConfigMap: set timeout-tunnel: {BalancerDuration.Format(spec.Timeouts.Tunnel)} there."];

    public override Dictionary<string, string> Annotations(WebSocketPoolSpec spec)
    {
        const string p = "haproxy.org/";
        var a = new Dictionary<string, string>
        {
            [p + "load-balance"] = HAProxyBalance(spec.Affinity),
            // The tunnel timeout (idle WebSockets) is only a controller ConfigMap key (timeout-tunnel): see Notes.
            [p + "timeout-server"] = BalancerDuration.Format(spec.Timeouts.Server),
            [p + "check"] = "true",
            [p + "check-http"] = spec.HealthCheck.Path,
            [p + "check-interval"] = BalancerDuration.Format(spec.HealthCheck.Interval),
        };
        if (spec.Balancer.Tls is { } tls) a[p + "ssl-redirect"] = tls.RedirectHttp ? "true" : "false";
        return a;
    }
}
