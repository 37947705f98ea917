using System.Globalization;
using k8s;
using k8s.Models;
using WsPool.Core.Api;
using WsPool.Core.Rendering;

namespace WsPool.Core.Balancers;

/// <summary>
/// A networking.k8s.io/v1 Ingress for an existing controller, with that controller's annotations for WebSockets,
/// affinity and timeouts. What a controller cannot express is rejected by BalancerCapabilityRules before this runs.
/// </summary>
public static class IngressBalancer
{
    public static BalancerOutput Render(WebSocketPool pool)
    {
        var spec = pool.Spec;
        var names = PoolNames.Of(pool);
        var ingress = spec.Balancer.Ingress ?? new IngressBalancerSpec();
        var annotations = Annotations(spec, ingress.Controller);
        var rule = new V1IngressRule
        {
            Host = ingress.Host,
            Http = new V1HTTPIngressRuleValue
            {
                Paths =
                [
                    new V1HTTPIngressPath
                    {
                        Path = spec.Path,
                        PathType = "Prefix",
                        Backend = new V1IngressBackend
                        {
                            Service = new V1IngressServiceBackend
                            {
                                Name = names.Backend,
                                Port = new V1ServiceBackendPort { Number = BackendPort.Number(pool) },
                            },
                        },
                    },
                ],
            },
        };
        var metadata = ManagedBalancerObjects.Meta(names, names.Ingress);
        metadata.Annotations = annotations.Count == 0 ? null : annotations;
        var result = new V1Ingress
        {
            ApiVersion = "networking.k8s.io/v1",
            Kind = "Ingress",
            Metadata = metadata,
            Spec = new V1IngressSpec
            {
                IngressClassName = ingress.ClassName,
                Rules = [rule],
                Tls = spec.Balancer.Tls is { } tls
                    ? [new V1IngressTLS { SecretName = tls.SecretName, Hosts = ingress.Host is null ? null : [ingress.Host] }]
                    : null,
            },
        };
        return new BalancerOutput([result], new Dictionary<string, string>());
    }

    /// <summary>
    /// Annotations the pool's backend Service needs for the controller (the HAProxy Kubernetes Ingress Controller
    /// reads cookie-persistence from the Service). The backend renderer merges them into that Service.
    /// </summary>
    public static IReadOnlyDictionary<string, string> BackendServiceAnnotations(WebSocketPool pool)
    {
        // A pool read without a spec (the renderer tolerates missing parts) has no Ingress either.
        var spec = pool.Spec;
        if (spec?.Balancer is not { Type: BalancerType.Ingress, Ingress.Controller: IngressController.HAProxyTech })
            return new Dictionary<string, string>();
        var annotations = new Dictionary<string, string> { ["haproxy.org/pod-maxconn"] = Invariant(spec.Connections.Limit) };
        if (spec.Affinity.Type == AffinityType.Cookie)
            annotations["haproxy.org/cookie-persistence"] = (spec.Affinity.Cookie ?? new CookieAffinitySpec()).Name;
        return annotations;
    }

    /// <summary>The Ingress annotations for a controller.</summary>
    public static Dictionary<string, string> Annotations(WebSocketPoolSpec spec, IngressController controller) => controller switch
    {
        IngressController.IngressNginx => IngressNginx(spec),
        IngressController.HAProxyTech => HAProxyTech(spec),
        IngressController.HAProxyIngress => HAProxyIngress(spec),
        IngressController.AwsLoadBalancer => AwsLoadBalancer(spec),
        _ => throw new ArgumentOutOfRangeException(nameof(controller)),
    };

    private static Dictionary<string, string> IngressNginx(WebSocketPoolSpec spec)
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

    private static Dictionary<string, string> HAProxyTech(WebSocketPoolSpec spec)
    {
        const string p = "haproxy.org/";
        var a = new Dictionary<string, string>
        {
            [p + "load-balance"] = HAProxyBalance(spec.Affinity),
            // The tunnel timeout (idle WebSockets) is only a controller ConfigMap key (timeout-tunnel): see BalancerNotes.
            [p + "timeout-server"] = BalancerDuration.Format(spec.Timeouts.Server),
            [p + "check"] = "true",
            [p + "check-http"] = spec.HealthCheck.Path,
            [p + "check-interval"] = BalancerDuration.Format(spec.HealthCheck.Interval),
        };
        if (spec.Balancer.Tls is { } tls) a[p + "ssl-redirect"] = tls.RedirectHttp ? "true" : "false";
        return a;
    }

    private static Dictionary<string, string> HAProxyIngress(WebSocketPoolSpec spec)
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

    private static Dictionary<string, string> AwsLoadBalancer(WebSocketPoolSpec spec)
    {
        const string p = "alb.ingress.kubernetes.io/";
        var a = new Dictionary<string, string>
        {
            // Pods as targets: connections go straight to pods, and draining a pod is visible to the ALB.
            [p + "target-type"] = "ip",
            [p + "scheme"] = spec.Balancer.ServiceType == BalancerServiceType.LoadBalancer ? "internet-facing" : "internal",
            // The ALB idle timeout (default 60s) is what closes idle WebSockets.
            [p + "load-balancer-attributes"] = $"idle_timeout.timeout_seconds={Seconds(spec.Timeouts.Tunnel)}",
            [p + "healthcheck-path"] = spec.HealthCheck.Path,
        };
        if (spec.Affinity.Type == AffinityType.Cookie)
        {
            var cookie = spec.Affinity.Cookie ?? new CookieAffinitySpec();
            var duration = cookie.MaxAge is null ? "86400" : Seconds(cookie.MaxAge);
            a[p + "target-group-attributes"] =
                $"stickiness.enabled=true,stickiness.type=lb_cookie,stickiness.lb_cookie.duration_seconds={duration}";
        }
        return a;
    }

    /// <summary>HAProxy's balance algorithm for an affinity (both HAProxy ingress controllers take HAProxy's syntax).</summary>
    private static string HAProxyBalance(AffinitySpec affinity) => affinity.Type switch
    {
        AffinityType.ClientIP => "source",
        AffinityType.Header => $"hdr({affinity.Header!.Name})",
        AffinityType.QueryParam => $"url_param {affinity.QueryParam!.Name}",
        _ => "leastconn",
    };

    private static string Seconds(string duration) => BalancerDuration.Seconds(duration).ToString(CultureInfo.InvariantCulture);
    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);
}
