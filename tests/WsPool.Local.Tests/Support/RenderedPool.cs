using k8s;
using k8s.Models;
using WsPool.Core.Api;
using WsPool.Core.Intent;
using WsPool.Core.Loading;
using WsPool.Core.Rendering;

namespace WsPool.Local.Tests.Support;

/// <summary>
/// A pool from examples/ rendered by the operator's own renderer (<see cref="PoolIntent"/>), so the node tests run
/// exactly the balancer and broker pods the operator creates: their ConfigMaps and Secrets are created as rendered,
/// and a pod is made from a Deployment's template, as its ReplicaSet would.
/// </summary>
public sealed class RenderedPool(WebSocketPool pool, RenderOptions options)
{
    public WebSocketPool Pool => pool;
    public PoolNames Names => PoolNames.Of(pool);
    public PoolIntent Intent { get; private set; } = PoolIntent.For(pool, options);

    /// <summary>Loads an example and renders it with every generated value filled (as the operator passes them).</summary>
    public static RenderedPool Load(string example, Action<WebSocketPool>? edit = null, RenderOptions? options = null)
    {
        var pool = PoolLoader.Load(File.ReadAllText(Repository.Path("examples", example)), example).Pools.Single().Pool;
        edit?.Invoke(pool);
        options ??= new RenderOptions();
        options = options with
        {
            GeneratedValues = PoolIntent.GeneratedValuesOf(pool).ToDictionary(v => v, v => $"generated-{v.Secret}-{v.Key}"),
        };
        return new RenderedPool(pool, options);
    }

    /// <summary>Renders again after a change to the pool or the options (what the operator does on a spec change).</summary>
    public void Rerender(Action<WebSocketPool> edit, RenderOptions? options = null)
    {
        edit(pool);
        var current = options ?? new RenderOptions();
        Intent = PoolIntent.For(pool, current with { GeneratedValues = PoolIntent.GeneratedValuesOf(pool).ToDictionary(v => v, v => $"generated-{v.Secret}-{v.Key}") });
    }

    public T Object<T>(string name) where T : IKubernetesObject<V1ObjectMeta> =>
        Intent.Objects.OfType<T>().Single(o => o.Metadata.Name == name);

    /// <summary>Creates the pool's namespace and every ConfigMap and Secret it renders.</summary>
    public async Task CreateConfigAsync(NodeHarness node)
    {
        await node.EnsureNamespaceAsync(Names.Namespace);
        foreach (var configMap in Intent.Objects.OfType<V1ConfigMap>())
            await node.Client.CoreV1.CreateNamespacedConfigMapAsync(configMap, Names.Namespace);
        foreach (var secret in Intent.Objects.OfType<V1Secret>())
            await node.Client.CoreV1.CreateNamespacedSecretAsync(secret, Names.Namespace);
    }

    /// <summary>A pod of a rendered Deployment, bound to the local node, named like a ReplicaSet's pod.</summary>
    public V1Pod PodOf(string deployment, string suffix = "0")
    {
        var template = Object<V1Deployment>(deployment).Spec.Template;
        var copy = KubernetesJson.Deserialize<V1PodTemplateSpec>(KubernetesJson.Serialize(template));
        return new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = $"{deployment}-{suffix}", NamespaceProperty = Names.Namespace, Labels = copy.Metadata?.Labels },
            Spec = copy.Spec,
        };
    }
}
