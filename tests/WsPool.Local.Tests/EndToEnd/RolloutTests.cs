using k8s;
using k8s.Models;
using WsPool.Core.Api;
using WsPool.Core.Loading;
using WsPool.Load;
using WsPool.Local.Session;
using WsPool.Local.View;

namespace WsPool.Local.Tests.EndToEnd;

/// <summary>
/// A connection-aware rollout through the whole local loop: the embedded API's Deployment controller, the real
/// operator, chat-server pods as processes, dnsmasq and the real HAProxy with cookie affinity. Every assertion is on
/// what each client saw (the pods it reached, how each session ended) or what the API reports.
/// </summary>
[Collection(LocalSessions.Name)]
public sealed class RolloutTests : IAsyncLifetime
{
    private const int Clients = 40;
    private readonly DirectoryInfo _state = Directory.CreateTempSubdirectory("wspool-local-rollout-");
    private LocalSession _session = null!;

    public async Task InitializeAsync()
    {
        var file = PoolFileChecker.Check(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "EndToEnd", "rollout-chat.yaml")), "rollout-chat.yaml");
        file.IsValid.Should().BeTrue(string.Join("; ", file.Problems));
        var options = new LocalOptions { PoolFile = "rollout-chat.yaml", StateDirectory = _state.FullName };
        var pools = file.Pools.Select(p => p.Pool).ToList();
        Preflight.Check(pools, options).Should().BeEmpty();
        _session = await LocalSession.StartAsync(options, pools, CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await _session.DisposeAsync();
        _state.Delete(recursive: true);
    }

    [Fact]
    public async Task A_template_change_moves_each_client_once_onto_the_new_revision_within_the_bound()
    {
        var reader = new SnapshotReader(_session, _session.Pools[0]);
        var ready = await Eventually.ValueAsync(() => reader.ReadAsync(CancellationToken.None),
            s => s.Pool.ReadyReplicas == 2 && s.ServingPods == 2 && s.Pool.Url.StartsWith("ws://", StringComparison.Ordinal),
            "two ready backend pods and the balancer's URL", TimeSpan.FromSeconds(90), LiveView.Line);
        var oldPods = ready.Pods.Select(p => p.Name).ToHashSet();
        await using var clients = LoadRunner.Start(new LoadOptions
        {
            Url = new Uri(ready.Pool.Url), Connections = Clients, ConnectRate = 40, Hold = null, Reconnect = true,
            Cookies = CookieMode.PerConnection, KeepDetails = true,
        });
        await clients.WaitForAsync(s => s.RampDone && s.Open == Clients, TimeSpan.FromSeconds(60));

        await _session.Client.CustomObjects.PatchNamespacedCustomObjectAsync(
            new V1Patch("""{"spec":{"template":{"spec":{"containers":[{"name":"chat-server","image":"ghcr.io/wspool/chat-server:0.1.0","env":[{"name":"RELEASE","value":"2"}],"ports":[{"name":"ws","containerPort":8080}]}]}}}}""",
                V1Patch.PatchType.MergePatch),
            WebSocketPool.Group, WebSocketPool.Version, "e2e", WebSocketPool.Plural, "roll");

        // Seen during the rollout: its phases in status, and the Progressing condition.
        var phases = new HashSet<string>();
        var done = await Eventually.ValueAsync(async () =>
            {
                var pool = await PoolAsync();
                if (pool.Status?.Rollout?.Phase is { } phase) phases.Add(phase);
                var pods = await _session.Client.CoreV1.ListNamespacedPodAsync("e2e", labelSelector: "app.kubernetes.io/instance=roll,app.kubernetes.io/component=backend");
                return (Pool: pool, Pods: pods.Items.ToList());
            },
            s => s.Pool.Status?.Rollout is null && phases.Contains("Draining") && s.Pods.Count == 2 && s.Pods.All(p => !oldPods.Contains(p.Metadata.Name))
                 && Condition(s.Pool, "Progressing")?.Status == "False",
            "the rollout over: two new pods, no old one, Progressing false",
            TimeSpan.FromSeconds(150), s => $"rollout {KubernetesJson.Serialize(s.Pool.Status?.Rollout)}; pods {string.Join(", ", s.Pods.Select(p => p.Metadata.Name))}; phases {string.Join(",", phases)}");
        var newPods = done.Pods.Select(p => p.Metadata.Name).ToHashSet();
        await clients.WaitForAsync(s => s.Open == Clients, TimeSpan.FromSeconds(30));
        var summary = await clients.StopAsync();

        // PreWarming lasts as long as the new pods take to start: on the local node often less than one poll.
        phases.Should().Contain(["Switching", "Draining"]);
        summary.FailedTotal.Should().Be(0, $"no reconnect was refused ({string.Join(", ", summary.Failed)})");
        var details = summary.Details!;
        details.Should().HaveCount(Clients);
        foreach (var client in details)
        {
            var history = $"client {client.Index}: {string.Join(" → ", client.Replicas)} (ends {string.Join(", ", client.Ends)})";
            client.Replicas.Count.Should().BeInRange(1, 2, $"a client reconnects at most once: {history}");
            oldPods.Should().Contain(client.Replicas[0], history);
            client.Replicas.Skip(1).Should().OnlyContain(r => newPods.Contains(r), $"a reconnect lands on the new revision: {history}");
            client.Ends.Where(e => e != "end").Should().OnlyContain(e => e == "1012", $"an old pod's client is moved with 1012, never drained abruptly: {history}");
            client.Replicas[^1].Should().BeOneOf(newPods, $"every client ends on the new revision: {history}");
        }
        var events = await _session.Client.EventsV1.ListNamespacedEventAsync("e2e");
        events.Items.Select(e => e.Reason).Should().Contain(["RolloutStarted", "RevisionRetired", "RolloutComplete"]);
    }

    private async Task<WebSocketPool> PoolAsync() =>
        KubernetesJson.Deserialize<WebSocketPool>(KubernetesJson.Serialize(
            await _session.Client.CustomObjects.GetNamespacedCustomObjectAsync(WebSocketPool.Group, WebSocketPool.Version, "e2e", WebSocketPool.Plural, "roll")));

    private static V1Condition? Condition(WebSocketPool pool, string type) => pool.Status?.Conditions?.FirstOrDefault(c => c.Type == type);
}
