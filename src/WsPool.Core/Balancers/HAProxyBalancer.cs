using k8s;
using k8s.Models;
using WsPool.Core.Api;
using WsPool.Core.Rendering;

namespace WsPool.Core.Balancers;

/// <summary>The managed HAProxy: haproxy.cfg in a ConfigMap, a Deployment, a Service and (cookie affinity) the cookie-key Secret.</summary>
public static class HAProxyBalancer
{
    /// <summary>The HAProxy 3.2 LTS branch; the tests check every generated config against the 3.2 they run.</summary>
    public const string DefaultImage = "haproxy:3.2";

    public static BalancerOutput Render(WebSocketPool pool, RenderOptions options)
    {
        var names = PoolNames.Of(pool);
        var config = HAProxyConfigBuilder.Build(pool, options).ToText();
        var cookie = pool.Spec.Affinity.Type == AffinityType.Cookie;
        var env = new List<V1EnvVar>();
        if (cookie)
            env.Add(new V1EnvVar
            {
                Name = HAProxyConfigBuilder.CookieKeyVariable,
                ValueFrom = new V1EnvVarSource { SecretKeyRef = new V1SecretKeySelector { Name = names.CookieKeySecret, Key = "key" } },
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
        if (cookie) objects.Add(ManagedBalancerObjects.CookieKeySecret(names, options));
        objects.Add(ManagedBalancerObjects.ConfigMap(names, BalancerPaths.HAProxyConfigFile, config));
        objects.Add(ManagedBalancerObjects.Deployment(pool, kind, config));
        objects.Add(ManagedBalancerObjects.Service(pool));
        return new BalancerOutput(objects, new Dictionary<string, string> { [BalancerPaths.HAProxyConfigFile] = config });
    }
}
