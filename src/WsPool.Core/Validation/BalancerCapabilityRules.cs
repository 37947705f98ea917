using System.Text.RegularExpressions;
using WsPool.Core.Api;
using WsPool.Core.Balancers;

namespace WsPool.Core.Validation;

/// <summary>
/// What each balancer kind can express (ALB has no header affinity, NGINX sticky cookies need 1.29.6, layer 4 sees
/// no cookies, ...). A spec asking for more is rejected with a message that names what the balancer can do, rather
/// than rendered into a config that silently ignores part of it.
/// </summary>
public static partial class BalancerCapabilityRules
{
    [GeneratedRegex("^[A-Za-z0-9-]+$")]
    private static partial Regex NginxHeaderName();

    [GeneratedRegex("^[A-Za-z0-9_]+$")]
    private static partial Regex NginxArgumentName();

    [GeneratedRegex(Grammars.HostnamePattern)]
    private static partial Regex Hostname();

    public static IEnumerable<ValidationError> Check(WebSocketPool pool)
    {
        var spec = pool.Spec;
        if (spec?.Balancer is null || spec.Affinity is null || spec.Timeouts is null) yield break;
        var balancer = spec.Balancer;
        var managed = balancer.Type is BalancerType.HAProxy or BalancerType.Nginx;

        foreach (var error in Timers(spec)) yield return error;

        if (spec.Port is not null && BackendPort.TryResolve(spec) is null && !string.IsNullOrEmpty(spec.Port.Value))
            yield return new("spec.port", $"'{Printable(spec.Port.Value)}' is neither a port number nor the name of a container port in spec.template; the balancer needs the port number");

        if (spec.Affinity.HashBalanceFactor is not null)
        {
            if (spec.Affinity.Type is not (AffinityType.ClientIP or AffinityType.Header or AffinityType.QueryParam))
                yield return new("spec.affinity.hashBalanceFactor", "bounds the load of the hash modes only (ClientIP, Header, QueryParam); remove it or pick one of them");
            else if (balancer.Type != BalancerType.HAProxy)
                yield return new("spec.affinity.hashBalanceFactor", $"only the HAProxy balancer can bound hash load (hash-balance-factor); the {balancer.Type} balancer cannot, so remove it or use balancer type HAProxy");
        }

        if (balancer.Layer == BalancerLayer.L4)
        {
            if (!managed)
                yield return new("spec.balancer.layer", $"L4 needs a managed balancer (HAProxy or Nginx); {balancer.Type} routes HTTP only, so use layer L7");
            if (spec.Affinity.Type is AffinityType.Cookie or AffinityType.Header or AffinityType.QueryParam)
                yield return new("spec.affinity.type", $"at layer 4 the balancer sees no cookies, headers or query parameters, so {spec.Affinity.Type} affinity is impossible; use None or ClientIP, or layer L7");
            if (balancer.Tls is { RedirectHttp: true })
                yield return new("spec.balancer.tls.redirectHttp", "redirecting HTTP to HTTPS needs layer L7; at L4 remove redirectHttp");
            if (balancer.PlainHttp == PlainHttpPolicy.Reject)
                yield return new("spec.balancer.plainHttp", "rejecting plain HTTP needs layer L7 (L4 does not look at HTTP); use Forward or layer L7");
        }

        if (!managed && balancer.PlainHttp == PlainHttpPolicy.Reject)
            yield return new("spec.balancer.plainHttp", $"the {balancer.Type} balancer forwards every request on the path; plainHttp: Reject needs a managed balancer (HAProxy or Nginx)");

        var errors = balancer.Type switch
        {
            BalancerType.Nginx => Nginx(spec),
            BalancerType.Ingress => Ingress(spec),
            BalancerType.Gateway => Gateway(spec),
            _ => [],
        };
        foreach (var error in errors) yield return error;
    }

    /// <summary>Every duration a balancer turns into a timer must fit it (HAProxy: at most 24 days) and not be zero.</summary>
    private static IEnumerable<ValidationError> Timers(WebSocketPoolSpec spec)
    {
        var t = spec.Timeouts;
        var timers = new (string Path, string? Value)[]
        {
            ("spec.timeouts.connect", t.Connect), ("spec.timeouts.httpRequest", t.HttpRequest), ("spec.timeouts.client", t.Client),
            ("spec.timeouts.server", t.Server), ("spec.timeouts.tunnel", t.Tunnel), ("spec.timeouts.clientFin", t.ClientFin),
            ("spec.timeouts.serverFin", t.ServerFin), ("spec.timeouts.queue", t.Queue),
            ("spec.healthCheck.interval", spec.HealthCheck?.Interval),
            ("spec.drain.timeout", spec.Drain?.Timeout), ("spec.drain.preStopDelay", spec.Drain?.PreStopDelay),
            ("spec.affinity.cookie.maxAge", spec.Affinity.Cookie?.MaxAge), ("spec.affinity.cookie.maxIdle", spec.Affinity.Cookie?.MaxIdle),
        };
        foreach (var (path, value) in timers)
        {
            if (value is null || BalancerDuration.TryParse(value) is not { } duration) continue; // the grammar rule reports it
            var mayBeZero = path == "spec.drain.preStopDelay";
            if (duration == TimeSpan.Zero && !mayBeZero)
                yield return new(path, "must be longer than zero (a balancer timer of 0 means 'never' or 'at once')");
            else if (duration > BalancerDuration.Max)
                yield return new(path, "must be at most 24d: HAProxy and NGINX timers cannot hold longer durations");
        }
    }

    private static IEnumerable<ValidationError> Nginx(WebSocketPoolSpec spec)
    {
        var balancer = spec.Balancer;
        var affinity = spec.Affinity;
        if (affinity.Type == AffinityType.Cookie)
        {
            if (!NginxVersion.SupportsStickyCookie(balancer))
            {
                var version = NginxVersion.Effective(balancer)?.ToString() ?? "an unknown version (the image tag names none)";
                yield return new("spec.affinity.type",
                    $"Cookie affinity on the Nginx balancer needs open-source NGINX 1.29.6 or newer (sticky cookie), and this balancer runs {version}; " +
                    "use image nginx:1.29.6 or newer (or set spec.balancer.nginxVersion), ClientIP, Header or QueryParam affinity, or the HAProxy balancer");
            }
            if (affinity.Cookie?.MaxIdle is not null)
                yield return new("spec.affinity.cookie.maxIdle", "NGINX's sticky cookie has no idle limit; use maxAge (expires), or the HAProxy balancer");
        }
        foreach (var error in NginxKeyNames(affinity, "NGINX")) yield return error;
    }

    /// <summary>NGINX reads a header as $http_name and a query parameter as $arg_name: only some names survive that.</summary>
    private static IEnumerable<ValidationError> NginxKeyNames(AffinitySpec affinity, string who)
    {
        if (affinity.Type == AffinityType.Header && affinity.Header?.Name is { } header && !NginxHeaderName().IsMatch(header))
            yield return new("spec.affinity.header.name", $"{who} ignores request headers whose names hold '_' or '.'; use letters, digits and '-' only");
        if (affinity.Type == AffinityType.QueryParam && affinity.QueryParam?.Name is { } parameter && !NginxArgumentName().IsMatch(parameter))
            yield return new("spec.affinity.queryParam.name", $"{who} can hash a query parameter ($arg_name) whose name has letters, digits and '_' only");
    }

    private static IEnumerable<ValidationError> Ingress(WebSocketPoolSpec spec)
    {
        var controller = spec.Balancer.Ingress?.Controller ?? IngressController.IngressNginx;
        var affinity = spec.Affinity;
        var cookie = affinity.Cookie;
        switch (controller)
        {
            case IngressController.IngressNginx:
                if (affinity.Type == AffinityType.Cookie && cookie?.MaxIdle is not null)
                    yield return new("spec.affinity.cookie.maxIdle", "ingress-nginx cookies have no idle limit; it can set the cookie's name, path, maxAge, sameSite and secure");
                foreach (var error in NginxKeyNames(affinity, "ingress-nginx")) yield return error;
                break;
            case IngressController.HAProxyTech:
                if (affinity.Type == AffinityType.Cookie)
                {
                    const string can = "the HAProxy Kubernetes Ingress Controller's cookie-persistence sets only the cookie name";
                    if (cookie?.MaxAge is not null) yield return new("spec.affinity.cookie.maxAge", $"{can}; remove maxAge or use the managed HAProxy balancer");
                    if (cookie?.MaxIdle is not null) yield return new("spec.affinity.cookie.maxIdle", $"{can}; remove maxIdle or use the managed HAProxy balancer");
                    if (cookie?.Secure == true) yield return new("spec.affinity.cookie.secure", $"{can}; remove secure or use the managed HAProxy balancer");
                }
                break;
            case IngressController.AwsLoadBalancer:
                if (affinity.Type is AffinityType.ClientIP or AffinityType.Header or AffinityType.QueryParam)
                    yield return new("spec.affinity.type", $"the AWS Load Balancer Controller (ALB) cannot pin by {affinity.Type}; it can do None or Cookie (its lb_cookie stickiness)");
                if (affinity.Type == AffinityType.Cookie && cookie?.MaxIdle is not null)
                    yield return new("spec.affinity.cookie.maxIdle", "ALB stickiness has a duration only; use maxAge (1s to 7d)");
                if (affinity.Type == AffinityType.Cookie && cookie?.MaxAge is { } maxAge && BalancerDuration.TryParse(maxAge) is { } age && age > TimeSpan.FromDays(7))
                    yield return new("spec.affinity.cookie.maxAge", "ALB stickiness lasts 1s to 7d");
                if (BalancerDuration.TryParse(spec.Timeouts.Tunnel) is { } tunnel && tunnel > TimeSpan.FromSeconds(4000))
                    yield return new("spec.timeouts.tunnel", "the ALB idle timeout is 1 to 4000 seconds; use at most 4000s");
                if (spec.Balancer.Tls is not null)
                    yield return new("spec.balancer.tls", "an ALB terminates TLS with ACM certificates (alb.ingress.kubernetes.io/certificate-arn), not a Kubernetes Secret; remove tls");
                break;
        }
    }

    private static IEnumerable<ValidationError> Gateway(WebSocketPoolSpec spec)
    {
        var affinity = spec.Affinity;
        if (affinity.Type is AffinityType.ClientIP or AffinityType.QueryParam)
            yield return new("spec.affinity.type", $"an HTTPRoute's sessionPersistence pins by Cookie or Header only, not {affinity.Type}; use one of them or a managed balancer");
        if (affinity.Type == AffinityType.Cookie && affinity.Cookie?.Secure == true)
            yield return new("spec.affinity.cookie.secure", "an HTTPRoute's sessionPersistence cannot set cookie attributes (the gateway decides them); remove secure");
        foreach (var (path, value) in new[] { ("spec.affinity.cookie.maxAge", affinity.Cookie?.MaxAge), ("spec.affinity.cookie.maxIdle", affinity.Cookie?.MaxIdle) })
            if (affinity.Type == AffinityType.Cookie && value is not null && BalancerDuration.TryParse(value) is { } d && d > GatewayBalancer.MaxDuration)
                yield return new(path, "Gateway API durations hold at most 99999h");
        if (spec.Balancer.Tls is not null)
            yield return new("spec.balancer.tls", "TLS terminates at the Gateway's listener (its certificateRefs); remove tls from the pool");
        var hostnames = spec.Balancer.Gateway?.Hostnames ?? [];
        for (var i = 0; i < hostnames.Count; i++)
            if (hostnames[i] is not { Length: <= 253 } host || !Hostname().IsMatch(host))
                yield return new($"spec.balancer.gateway.hostnames[{i}]", "must be a DNS host name (lower case letters, digits, '-' and '.', an optional leading '*.'), at most 253 characters");
    }

    private static string Printable(string value) =>
        new(value.Take(64).Select(c => char.IsControl(c) ? '?' : c).ToArray());
}
