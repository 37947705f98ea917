using WsPool.Core.Api;

namespace WsPool.Core.Balancers;

/// <summary>
/// What the user must know about a balancer that the generated objects cannot say themselves: settings that live in
/// a controller's own configuration, and experimental features. The operator puts them in status; docs repeat them.
/// </summary>
public static class BalancerNotes
{
    public static IReadOnlyList<string> For(WebSocketPool pool)
    {
        var spec = pool.Spec;
        var notes = new List<string>();
        switch (spec.Balancer.Type)
        {
            case BalancerType.Nginx:
                notes.Add("NGINX reloads (HUP) when the ready pods change; open WebSockets stay on the old workers until worker_shutdown_timeout. HAProxy discovers pods through DNS and never reloads on scaling.");
                notes.Add("Open-source NGINX has no active health checks: a failing pod leaves rotation after max_fails failed connections.");
                break;
            case BalancerType.Ingress when spec.Balancer.Ingress?.Controller == IngressController.HAProxyTech:
                notes.Add($"The HAProxy Kubernetes Ingress Controller takes the tunnel timeout (idle WebSockets) only from its ConfigMap: set timeout-tunnel: {BalancerDuration.Format(spec.Timeouts.Tunnel)} there.");
                break;
            case BalancerType.Ingress when spec.Balancer.Ingress?.Controller == IngressController.IngressNginx:
                notes.Add("ingress-nginx reloads on many changes; WebSockets survive a reload only until its worker-shutdown-timeout.");
                break;
            case BalancerType.Ingress when spec.Balancer.Ingress?.Controller == IngressController.AwsLoadBalancer:
                if (spec.Affinity.Type == AffinityType.Cookie)
                    notes.Add("ALB stickiness uses its own AWSALB cookie: the cookie name and attributes of the spec do not apply.");
                break;
            case BalancerType.Gateway when spec.Affinity.Type is AffinityType.Cookie or AffinityType.Header:
                notes.Add("HTTPRoute sessionPersistence is experimental Gateway API (GEP-1619); Envoy Gateway implements it, other gateways may ignore it.");
                break;
        }
        return notes;
    }
}
