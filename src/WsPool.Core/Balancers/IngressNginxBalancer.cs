using WsPool.Core.Api;

namespace WsPool.Core.Balancers;

/// <summary>ingress-nginx: affinity, hashing and timeouts as nginx.ingress.kubernetes.io annotations.</summary>
public sealed class IngressNginxBalancer : IngressBalancer
{
    public override string Product => "ingress-nginx";

    public override IngressController Controller => IngressController.IngressNginx;

    public override IEnumerable<ValidationError> Check(WebSocketPoolSpec spec)
    {
        var affinity = spec.Affinity;
        var cookie = affinity.Cookie;
        if (affinity.Type == AffinityType.Cookie && cookie?.MaxIdle is not null)
            yield return new("spec.affinity.cookie.maxIdle", "ingress-nginx cookies have no idle limit; it can set the cookie's name, path, maxAge, sameSite and secure");
        foreach (var error in NginxBalancer.KeyNameErrors(affinity, "ingress-nginx")) yield return error;
    }

    public override IReadOnlyList<string> Notes(WebSocketPoolSpec spec) =>
        ["ingress-nginx reloads on many changes; WebSockets survive a reload only until its worker-shutdown-timeout."];

    public override Dictionary<string, string> Annotations(WebSocketPoolSpec spec)
    {
        const string p = "nginx.ingress.kubernetes.io/";
        var a = new Dictionary<string, string>
        {
            // ingress-nginx proxies WebSocket upgrades on its own; these keep idle ones open past 60s.
            [p + "proxy-read-timeout"] = Seconds(spec.Timeouts.Tunnel),
            [p + "proxy-send-timeout"] = Seconds(spec.Timeouts.Tunnel),
            [p + "proxy-connect-timeout"] = Seconds(spec.Timeouts.Connect),
        };
        var affinity = spec.Affinity;
        switch (affinity.Type)
        {
            case AffinityType.Cookie:
                var cookie = affinity.Cookie ?? new CookieAffinitySpec();
                a[p + "affinity"] = "cookie";
                a[p + "affinity-mode"] = "persistent";
                a[p + "session-cookie-name"] = cookie.Name;
                a[p + "session-cookie-path"] = spec.Path;
                a[p + "session-cookie-samesite"] = cookie.SameSite.ToString();
                if (cookie.Secure) a[p + "session-cookie-secure"] = "true";
                if (cookie.MaxAge is not null)
                {
                    a[p + "session-cookie-max-age"] = Seconds(cookie.MaxAge);
                    a[p + "session-cookie-expires"] = Seconds(cookie.MaxAge);
                }
                break;
            case AffinityType.ClientIP:
                a[p + "upstream-hash-by"] = "$remote_addr";
                break;
            case AffinityType.Header:
                a[p + "upstream-hash-by"] = NginxConfigBuilder.HeaderVariable(affinity.Header!.Name);
                break;
            case AffinityType.QueryParam:
                a[p + "upstream-hash-by"] = NginxConfigBuilder.QueryVariable(affinity.QueryParam!.Name);
                break;
        }
        if (spec.Balancer.Tls is { } tls) a[p + "ssl-redirect"] = tls.RedirectHttp ? "true" : "false";
        return a;
    }
}
