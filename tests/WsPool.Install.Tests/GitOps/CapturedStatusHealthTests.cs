using k8s;
using k8s.Models;
using WsPool.Core.Api;
using WsPool.Install.Tests.Support;
using WsPool.Testing;

namespace WsPool.Install.Tests.GitOps;

/// <summary>
/// The Argo CD health check against status the real operator wrote: the operator host reconciles pools on the API
/// emulator, and the objects read back are handed to lua5.4.
/// </summary>
public sealed class CapturedStatusHealthTests
{
    [Fact]
    public async Task A_pool_the_operator_reconciled_to_ready_is_healthy()
    {
        await using var api = await EmulatedCluster.StartAsync("chat");
        await using var op = await InProcessOperator.StartAsync(api);
        using var client = api.CreateClient();
        await EmulatedCluster.CreatePoolAsync(client, Example("chat.yaml"));

        var pool = await WaitForAsync(client, "chat", "chat", p => Condition(p, "Ready") == "True");

        (await ArgoHealth.EvaluateAsync(pool)).Status.Should().Be("Healthy");
    }

    [Fact]
    public async Task A_pool_the_operator_found_invalid_is_degraded()
    {
        await using var api = await EmulatedCluster.StartAsync("chat");
        await using var op = await InProcessOperator.StartAsync(api);
        using var client = api.CreateClient();
        var pool = Example("chat.yaml");
        pool.Spec.MinReplicas = 5;
        pool.Spec.MaxReplicas = 2;
        pool.Spec.Replicas = null;
        // The API server refuses min > max today; such a pool exists only as written under an older, looser CRD.
        await api.Store.WithLooserCrdAsync("websocketpools.wspool.dev", async () =>
        {
            await EmulatedCluster.CreatePoolAsync(client, pool);
            return true;
        });

        var seen = await WaitForAsync(client, "chat", "chat", p => Condition(p, "Degraded") == "True");
        var health = await ArgoHealth.EvaluateAsync(seen);

        health.Status.Should().Be("Degraded");
        health.Message.Should().StartWith("InvalidSpec:");
    }

    private static WebSocketPool Example(string file) =>
        KubernetesYaml.Deserialize<WebSocketPool>(Repo.Read("examples", file), strict: true);

    private static string? Condition(WebSocketPool pool, string type) =>
        pool.Status?.Conditions?.FirstOrDefault(c => c.Type == type)?.Status;

    private static Task<WebSocketPool> WaitForAsync(IKubernetes client, string ns, string name, Func<WebSocketPool, bool> done) =>
        Eventually.ValueAsync(() => EmulatedCluster.GetPoolAsync(client, ns, name), done, $"pool {ns}/{name} to reach the state",
            TimeSpan.FromSeconds(30), pool => $"status {KubernetesJson.Serialize(pool.Status)}", TimeSpan.FromMilliseconds(100));
}
