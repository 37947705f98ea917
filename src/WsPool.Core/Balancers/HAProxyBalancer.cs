using k8s;
using k8s.Models;
using WsPool.Core.Api;
using WsPool.Core.Rendering;

namespace WsPool.Core.Balancers;

/// <summary>
/// The managed HAProxy: haproxy.cfg in a ConfigMap, a Deployment, a Service and (cookie affinity) the cookie-key
/// Secret. It discovers backend pods through the headless Service's DNS name, so scaling never reloads it, and it
/// reports per-server sessions, which the autoscaler reads by default.
/// </summary>
public sealed class HAProxyBalancer : IBalancerKind
{
    /// <summary>The HAProxy 3.2 LTS branch; the tests check every generated config against the 3.2 they run.</summary>
    public const string DefaultImage = "haproxy:3.2";

    public string Describe(WebSocketPoolSpec spec) => $"HAProxy {spec.Balancer.Layer}";

    public MetricsSource DefaultMetricsSource => MetricsSource.Balancer;

    public bool FollowsReadyEndpoints => false;

    /// <summary>Cluster DNS TTL (5s), then the resolver's 1s re-resolve and its 10s "hold obsolete" for a pod that left DNS.</summary>
    public TimeSpan RoutingSettleTime => TimeSpan.FromSeconds(16);

    public IEnumerable<ValidationError> Check(WebSocketPoolSpec spec) => [];

    public BalancerOutput Render(WebSocketPool pool, RenderOptions options)
    {
        var names = PoolNames.Of(pool);
        var config = HAProxyConfigBuilder.Build(pool, options).ToText();
        var cookieKey = CookieKey(pool);
        var env = new List<V1EnvVar>();
        if (cookieKey is not null)
            env.Add(new V1EnvVar
            {
                Name = HAProxyConfigBuilder.CookieKeyVariable,
                ValueFrom = new V1EnvVarSource { SecretKeyRef = new V1SecretKeySelector { Name = cookieKey.Secret, Key = cookieKey.Key } },
            });
        var kind = new ManagedBalancerKind(
            ContainerName: "haproxy",
            DefaultImage: DefaultImage,
            RunAsUser: 99, // the haproxy user of the official image
            ConfigDir: BalancerPaths.HAProxyConfigDir,
            ConfigFile: BalancerPaths.HAProxyConfigFile,
            RunDir: BalancerPaths.HAProxyRunDir,
            // -W: master-worker (reloads by SIGUSR2 keep the old worker's WebSockets); -db: stay in the foreground.
            Command: ["haproxy", "-W", "-db", "-f", $"{BalancerPaths.HAProxyConfigDir}/{BalancerPaths.HAProxyConfigFile}"],
            Env: env);
        var objects = new List<IKubernetesObject<V1ObjectMeta>>();
        if (cookieKey is not null) objects.Add(GeneratedSecret.Render(names, cookieKey, options, PoolLabels.BalancerComponent));
        objects.Add(ManagedBalancerObjects.ConfigMap(names, BalancerPaths.HAProxyConfigFile, config));
        objects.Add(ManagedBalancerObjects.Deployment(pool, kind, config));
        objects.Add(ManagedBalancerObjects.Service(pool));
        return new BalancerOutput(objects, new Dictionary<string, string> { [BalancerPaths.HAProxyConfigFile] = config });
    }

    public IReadOnlyList<GeneratedValue> GeneratedValues(WebSocketPool pool) => CookieKey(pool) is { } key ? [key] : [];

    public IReadOnlyDictionary<string, string> BackendServiceAnnotations(WebSocketPool pool) => new Dictionary<string, string>();

    public IReadOnlyList<ClusterPrerequisite> Prerequisites(WebSocketPoolSpec spec) => [];

    public IReadOnlyList<string> Notes(WebSocketPoolSpec spec) => [];

    /// <summary>
    /// The dynamic-cookie key (cookie affinity): generated once by the operator and never rotated, since a new key
    /// would move every client to another pod.
    /// </summary>
    private static GeneratedValue? CookieKey(WebSocketPool pool) =>
        pool.Spec.Affinity.Type == AffinityType.Cookie ? new GeneratedValue(PoolNames.Of(pool).CookieKeySecret, "key") : null;
}
