namespace WsPool.Core.Balancers;

/// <summary>
/// The ports a managed balancer listens on inside its pod. They are above 1024 so the container runs as a non-root
/// user with no capabilities; the balancer Service maps the client-facing port (80/443 or spec.balancer.port) here.
/// </summary>
public static class BalancerPorts
{
    public const int Http = 8080;
    public const int Https = 8443;
    /// <summary>HAProxy: Prometheus exporter, stats page and /healthz. NGINX: stub_status and /healthz.</summary>
    public const int Observability = 8404;
}
