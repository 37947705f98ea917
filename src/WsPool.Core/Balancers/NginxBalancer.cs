using k8s;
using k8s.Models;
using WsPool.Core.Api;
using WsPool.Core.Rendering;

namespace WsPool.Core.Balancers;

/// <summary>The managed NGINX: nginx.conf in a ConfigMap, a Deployment and a Service.</summary>
public static class NginxBalancer
{
    public static BalancerOutput Render(WebSocketPool pool, RenderOptions options)
    {
        var names = PoolNames.Of(pool);
        var config = NginxConfigBuilder.Build(pool, options).ToText();
        var kind = new ManagedBalancerKind(
            ContainerName: "nginx",
            DefaultImage: NginxVersion.DefaultImage,
            RunAsUser: 101, // the nginx user of the official image
            ConfigDir: BalancerPaths.NginxConfigDir,
            ConfigFile: BalancerPaths.NginxConfigFile,
            RunDir: BalancerPaths.NginxRunDir,
            // -e stderr: even messages before the config is read avoid the read-only filesystem.
            Command: ["nginx", "-e", "stderr", "-c", $"{BalancerPaths.NginxConfigDir}/{BalancerPaths.NginxConfigFile}", "-g", "daemon off;"],
            Env: []);
        List<IKubernetesObject<V1ObjectMeta>> objects =
        [
            ManagedBalancerObjects.ConfigMap(names, BalancerPaths.NginxConfigFile, config),
            ManagedBalancerObjects.Deployment(pool, kind, config),
            ManagedBalancerObjects.Service(pool),
        ];
        return new BalancerOutput(objects, new Dictionary<string, string> { [BalancerPaths.NginxConfigFile] = config });
    }
}
