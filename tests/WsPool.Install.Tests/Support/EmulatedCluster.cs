using k8s;
using k8s.Models;
using WsPool.Core.Api;
using WsPool.KubeEmulator;

namespace WsPool.Install.Tests.Support;

/// <summary>The API emulator with the WebSocketPool CRD installed from crds/, as `kubectl apply -k crds/` would.</summary>
internal static class EmulatedCluster
{
    public static async Task<KubeApiEmulator> StartAsync(params string[] namespaces)
    {
        var api = await KubeApiEmulator.StartAsync(new EmulatorOptions
        {
            Namespaces = ["default", "kube-system", .. namespaces],
        });
        try
        {
            using var client = api.CreateClient();
            var crd = KubernetesYaml.Deserialize<V1CustomResourceDefinition>(Repo.Read("crds", "websocketpools.wspool.dev.yaml"), strict: true);
            await client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(crd);
            return api;
        }
        catch
        {
            await api.DisposeAsync();
            throw;
        }
    }

    public static Task CreatePoolAsync(IKubernetes client, WebSocketPool pool) =>
        client.CustomObjects.CreateNamespacedCustomObjectAsync(pool, WebSocketPool.Group, WebSocketPool.Version,
            pool.Metadata.NamespaceProperty, WebSocketPool.Plural);

    public static async Task<WebSocketPool> GetPoolAsync(IKubernetes client, string ns, string name)
    {
        var raw = await client.CustomObjects.GetNamespacedCustomObjectAsync(WebSocketPool.Group, WebSocketPool.Version, ns,
            WebSocketPool.Plural, name);
        return KubernetesJson.Deserialize<WebSocketPool>(raw is System.Text.Json.JsonElement e ? e.GetRawText() : KubernetesJson.Serialize(raw));
    }
}

/// <summary>Kubeconfig files for processes that talk to the emulator.</summary>
internal static class EmulatorKubeconfig
{
    /// <summary>The emulator's kubeconfig (it carries a token the emulator ignores, as KubernetesClient requires).</summary>
    public static void Write(KubeApiEmulator api, string path) => api.WriteKubeconfig(path);
}
