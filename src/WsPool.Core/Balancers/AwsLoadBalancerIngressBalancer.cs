using WsPool.Core.Api;

namespace WsPool.Core.Balancers;

/// <summary>The AWS Load Balancer Controller: an ALB with pod targets, lb_cookie stickiness and its idle timeout.</summary>
public sealed class AwsLoadBalancerIngressBalancer : IngressBalancer
{
    public override string Product => "the AWS Load Balancer Controller";

    public override IngressController Controller => IngressController.AwsLoadBalancer;

    public override IEnumerable<ValidationError> Check(WebSocketPoolSpec spec)
    {
        var affinity = spec.Affinity;
        var cookie = affinity.Cookie;
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
    }

    public override IReadOnlyList<string> Notes(WebSocketPoolSpec spec) => spec.Affinity.Type == AffinityType.Cookie
        ? ["ALB stickiness uses its own AWSALB cookie: the cookie name and attributes of the spec do not apply."]
        : [];

    public override Dictionary<string, string> Annotations(WebSocketPoolSpec spec)
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
}
