using System.Text.RegularExpressions;
using k8s;
using k8s.Models;
using WsPool.Core.Api;
using WsPool.Core.Rendering;

namespace WsPool.Core.Balancers;

/// <summary>
/// The managed NGINX: nginx.conf and the reload script in a ConfigMap, a Deployment (NGINX plus the reloader sidecar)
/// and a Service. The upstream servers are the pool's ready endpoints, so nginx.conf changes whenever the pool scales;
/// that change is reloaded in place by the sidecar (<see cref="NginxReloader"/>), not rolled out: the pod template's
/// checksum covers the config rendered without endpoints (and the script), so only a spec change rolls the pods.
/// </summary>
public sealed partial class NginxBalancer : IBalancerKind
{
    [GeneratedRegex("^[A-Za-z0-9-]+$")]
    private static partial Regex HeaderName();

    [GeneratedRegex("^[A-Za-z0-9_]+$")]
    private static partial Regex ArgumentName();

    public string Describe(WebSocketPoolSpec spec) => $"Nginx {spec.Balancer.Layer}";

    public MetricsSource DefaultMetricsSource => MetricsSource.Pods;

    public bool FollowsReadyEndpoints => true;

    /// <summary>The operator re-renders the upstream servers from the endpoints and NGINX reloads: a few seconds.</summary>
    public TimeSpan RoutingSettleTime => TimeSpan.FromSeconds(10);

    public IEnumerable<ValidationError> Check(WebSocketPoolSpec spec)
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
        foreach (var error in KeyNameErrors(affinity, "NGINX")) yield return error;
    }

    /// <summary>
    /// NGINX reads a header as $http_name and a query parameter as $arg_name: only some names survive that. The same
    /// holds for ingress-nginx, which hashes through the same variables.
    /// </summary>
    internal static IEnumerable<ValidationError> KeyNameErrors(AffinitySpec affinity, string who)
    {
        if (affinity.Type == AffinityType.Header && affinity.Header?.Name is { } header && !HeaderName().IsMatch(header))
            yield return new("spec.affinity.header.name", $"{who} ignores request headers whose names hold '_' or '.'; use letters, digits and '-' only");
        if (affinity.Type == AffinityType.QueryParam && affinity.QueryParam?.Name is { } parameter && !ArgumentName().IsMatch(parameter))
            yield return new("spec.affinity.queryParam.name", $"{who} can hash a query parameter ($arg_name) whose name has letters, digits and '_' only");
    }

    public BalancerOutput Render(WebSocketPool pool, RenderOptions options)
    {
        var names = PoolNames.Of(pool);
        var config = NginxConfigBuilder.Build(pool, options).ToText();
        // Everything but the upstream servers: the same pool with other ready endpoints gives the same checksum.
        var withoutEndpoints = NginxConfigBuilder.Build(pool, options with { Backends = null }).ToText();
        var kind = new ManagedBalancerKind(
            ContainerName: "nginx",
            DefaultImage: NginxVersion.DefaultImage,
            RunAsUser: 101, // the nginx user of the official image
            ConfigDir: BalancerPaths.NginxConfigDir,
            ConfigFile: BalancerPaths.NginxConfigFile,
            RunDir: BalancerPaths.NginxRunDir,
            // -e stderr: even messages before the config is read avoid the read-only filesystem.
            Command: ["nginx", "-e", "stderr", "-c", $"{BalancerPaths.NginxConfigDir}/{BalancerPaths.NginxConfigFile}", "-g", "daemon off;"],
            Env: [],
            Reloader: NginxReloader.Container);
        List<IKubernetesObject<V1ObjectMeta>> objects =
        [
            ManagedBalancerObjects.ConfigMap(names, new Dictionary<string, string>
            {
                [BalancerPaths.NginxConfigFile] = config,
                [NginxReloader.ScriptFile] = NginxReloader.Script,
            }),
            ManagedBalancerObjects.Deployment(pool, kind, withoutEndpoints + NginxReloader.Script),
            ManagedBalancerObjects.Service(pool),
        ];
        return new BalancerOutput(objects, new Dictionary<string, string> { [BalancerPaths.NginxConfigFile] = config });
    }

    public IReadOnlyList<GeneratedValue> GeneratedValues(WebSocketPool pool) => [];

    public IReadOnlyDictionary<string, string> BackendServiceAnnotations(WebSocketPool pool) => new Dictionary<string, string>();

    public IReadOnlyList<ClusterPrerequisite> Prerequisites(WebSocketPoolSpec spec) => [];

    public IReadOnlyList<string> Notes(WebSocketPoolSpec spec) =>
    [
        "NGINX reloads (HUP) when the ready pods change; open WebSockets stay on the old workers until worker_shutdown_timeout. HAProxy discovers pods through DNS and never reloads on scaling.",
        "Open-source NGINX has no active health checks: a failing pod leaves rotation after max_fails failed connections.",
    ];
}
