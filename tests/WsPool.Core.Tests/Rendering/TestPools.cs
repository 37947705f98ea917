using k8s.Models;
using WsPool.Core.Api;
using WsPool.Core.Intent;
using WsPool.Core.Rendering;

namespace WsPool.Core.Tests.Rendering;

/// <summary>Small valid pools for renderer tests, adjusted per test.</summary>
internal static class TestPools
{
    /// <summary>A pool "demo" in namespace "apps" with one container "app" listening on port 8080 named "ws".</summary>
    public static WebSocketPool Minimal(Action<WebSocketPool>? adjust = null)
    {
        var pool = new WebSocketPool
        {
            Metadata = new V1ObjectMeta { Name = "demo", NamespaceProperty = "apps" },
            Spec = new WebSocketPoolSpec
            {
                Template = new V1PodTemplateSpec
                {
                    Spec = new V1PodSpec
                    {
                        Containers = new List<V1Container>
                        {
                            new()
                            {
                                Name = "app",
                                Image = "example/app:1",
                                Ports = new List<V1ContainerPort> { new() { Name = "ws", ContainerPort = 8080 } },
                            },
                        },
                    },
                },
            },
        };
        adjust?.Invoke(pool);
        return pool;
    }

    public static PoolIntent Render(WebSocketPool pool, RenderOptions? options = null) =>
        PoolIntent.For(pool, options ?? new RenderOptions());

    public static T Single<T>(this PoolIntent rendered, string name) =>
        rendered.Objects.OfType<T>().Single(o => ((k8s.IKubernetesObject<V1ObjectMeta>)o!).Metadata.Name == name);

    public static V1Deployment Backend(this PoolIntent rendered) => rendered.Single<V1Deployment>(PoolNames.Of(rendered.Pool).Backend);

    public static V1Container Container(this V1Deployment deployment, string name) =>
        deployment.Spec.Template.Spec.Containers.Single(c => c.Name == name);

    public static V1EnvVar Env(this V1Container container, string name) => container.Env.Single(e => e.Name == name);
}
