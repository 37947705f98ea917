using WsPool.Core.Api;

namespace WsPool.Core.Rendering;

/// <summary>
/// The names of every object a pool owns, in one place so the renderer, the balancer generators, the operator and
/// the tests agree. All derive from the pool name (a DNS-1123 label of at most 40 characters, so suffixes fit).
/// </summary>
public sealed record PoolNames(string Pool, string Namespace)
{
    public static PoolNames Of(WebSocketPool pool) =>
        new(pool.Metadata?.Name ?? "", pool.Metadata?.NamespaceProperty ?? "default");

    /// <summary>The backend Deployment and its ClusterIP Service.</summary>
    public string Backend => Pool;
    /// <summary>The headless Service whose DNS name lists every ready backend pod (balancer discovery).</summary>
    public string HeadlessService => $"{Pool}-headless";
    public string PodDisruptionBudget => Pool;
    /// <summary>The managed balancer's Deployment, Service and ConfigMap.</summary>
    public string Balancer => $"{Pool}-balancer";
    /// <summary>The Secret holding HAProxy's dynamic-cookie key (created once, never rotated).</summary>
    public string CookieKeySecret => $"{Pool}-cookie-key";
    public string Redis => $"{Pool}-redis";
    public string RedisSecret => $"{Pool}-redis";
    public string Ingress => Pool;
    public string HttpRoute => Pool;

    /// <summary>The fully qualified DNS name of the headless Service inside the cluster.</summary>
    public string HeadlessServiceFqdn => $"{HeadlessService}.{Namespace}.svc.cluster.local";
}
