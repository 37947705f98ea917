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

    /// <summary>
    /// Runs after the other rules (PoolValidator): grammar, bounds, type-specific sections and layer-4 limits are
    /// theirs; these are only the limits of each balancer kind.
    /// </summary>
    public static IEnumerable<ValidationError> Check(WebSocketPool pool)
    {
        var spec = pool?.Spec;
        if (spec?.Balancer is null || spec.Affinity is null || spec.Timeouts is null) yield break;
        var balancer = spec.Balancer;

        var errors = balancer.Type switch
        {
            BalancerType.Nginx => Nginx(spec),
            BalancerType.Ingress => Ingress(spec),
            _ => [],
        };
        foreach (var error in errors) yield return error;
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
                    $"use image {NginxVersion.DefaultImage} (the default) or another of 1.29.6 or newer (or set spec.balancer.nginxVersion), ClientIP, Header or QueryParam affinity, or the HAProxy balancer");
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

}
