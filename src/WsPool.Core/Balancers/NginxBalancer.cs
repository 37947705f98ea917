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
public static class NginxBalancer
{
    public static BalancerOutput Render(WebSocketPool pool, RenderOptions options)
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
}
