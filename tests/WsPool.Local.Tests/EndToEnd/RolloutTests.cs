using k8s;
using k8s.Models;
using WsPool.Core.Api;
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
    private const string Ns = "e2e";
    private const string BackendSelector = "app.kubernetes.io/instance=roll,app.kubernetes.io/component=backend";
    private readonly DirectoryInfo _state = Directory.CreateTempSubdirectory("wspool-local-rollout-");
    private LocalSession _session = null!;

    public async Task InitializeAsync() => _session = await LocalSessions.StartAsync("rollout-chat.yaml", _state);

    public async Task DisposeAsync()
    {
        await _session.DisposeAsync();
        _state.Delete(recursive: true);
    }

    [Fact]
    public async Task A_template_change_moves_each_client_once_onto_the_new_revision_within_the_bound()
    {
        var (url, oldPods) = await ReadyAsync();
        await using var clients = Connect(url);
        await clients.WaitForAsync(s => s.RampDone && s.Open == Clients, TimeSpan.FromSeconds(60));

        await SetReleaseAsync(2);
        var (done, phases, progressing) = await RolledOutAsync(oldPods);
        var newPods = done.Select(p => p.Metadata.Name).ToHashSet();
        await clients.WaitForAsync(s => s.Open == Clients, TimeSpan.FromSeconds(30));
        var summary = await clients.StopAsync();

        // PreWarming lasts as long as the new pods take to start: on the local node often less than one poll.
        phases.Should().Contain(["Switching", "Draining"]);
        progressing.Should().Equal(["True/RollingOut"], "kubectl wait --for=condition=Progressing=false waits for the rollout's end");
        summary.FailedTotal.Should().Be(0, $"no reconnect was refused ({string.Join(", ", summary.Failed)})");
        summary.Details.Should().HaveCount(Clients);
        foreach (var client in summary.Details!)
        {
            var history = History(client);
            client.Replicas.Count.Should().BeInRange(1, 2, $"a client reconnects at most once: {history}");
            oldPods.Should().Contain(client.Replicas[0], history);
            client.Replicas.Skip(1).Should().OnlyContain(r => newPods.Contains(r), $"a reconnect lands on the new revision: {history}");
            client.Ends.Where(e => e != "end").Should().OnlyContain(e => e == "1012", $"an old pod's client is moved with 1012, never drained abruptly: {history}");
        }
        var events = await _session.Client.EventsV1.ListNamespacedEventAsync(Ns);
        events.Items.Select(e => e.Reason).Should().Contain(["RolloutStarted", "RevisionRetired", "RolloutComplete"]);
    }

    [Fact]
    public async Task A_second_template_change_mid_rollout_leaves_no_client_on_a_revision_that_is_neither_old_nor_new()
    {
        var (url, firstPods) = await ReadyAsync();
        await using var clients = Connect(url);
        await clients.WaitForAsync(s => s.RampDone && s.Open == Clients, TimeSpan.FromSeconds(60));

        await SetReleaseAsync(2);
        // Once the first rollout moves clients, the template changes again.
        await Eventually.ValueAsync(PoolAsync, p => p.Status?.Rollout?.Phase == "Draining" && p.Status.Rollout.OldConnections < Clients,
            "the first rollout moving clients", TimeSpan.FromSeconds(90), p => KubernetesJson.Serialize(p.Status?.Rollout));
        var secondPods = (await BackendPodsAsync()).Select(p => p.Metadata.Name).Where(n => !firstPods.Contains(n)).ToHashSet();
        await SetReleaseAsync(3);
        var (done, _, _) = await RolledOutAsync(firstPods.Concat(secondPods).ToHashSet());
        var lastPods = done.Select(p => p.Metadata.Name).ToHashSet();
        await clients.WaitForAsync(s => s.Open == Clients, TimeSpan.FromSeconds(30));
        var summary = await clients.StopAsync();

        summary.FailedTotal.Should().Be(0, $"no reconnect was refused ({string.Join(", ", summary.Failed)})");
        foreach (var client in summary.Details!)
        {
            var history = History(client);
            client.Replicas[^1].Should().BeOneOf(lastPods, $"every client ends on the newest revision: {history}");
            client.Replicas.Skip(1).Should().NotContain(r => firstPods.Contains(r), $"no client moves onto the first revision: {history}");
            client.Replicas.Count.Should().BeLessThanOrEqualTo(3, $"at most once per revision it was moved off: {history}");
        }
        (await BackendPodsAsync()).Should().OnlyContain(p => lastPods.Contains(p.Metadata.Name), "both old revisions are gone");
    }

    private async Task<(Uri Url, HashSet<string> Pods)> ReadyAsync()
    {
        var reader = new SnapshotReader(_session, _session.Pools[0]);
        var ready = await Eventually.ValueAsync(() => reader.ReadAsync(CancellationToken.None),
            s => s.Pool.ReadyReplicas == 2 && s.ServingPods == 2 && s.Pool.Url.StartsWith("ws://", StringComparison.Ordinal),
            "two ready backend pods and the balancer's URL", TimeSpan.FromSeconds(90), LiveView.Line);
        return (new Uri(ready.Pool.Url), ready.Pods.Select(p => p.Name).ToHashSet());
    }

    private static LoadRun Connect(Uri url) => LoadRunner.Start(new LoadOptions
    {
        Url = url, Connections = Clients, ConnectRate = 40, Hold = null, Reconnect = true,
        Cookies = CookieMode.PerConnection, KeepDetails = true,
    });

    private Task SetReleaseAsync(int release) =>
        _session.Client.CustomObjects.PatchNamespacedCustomObjectAsync(
            new V1Patch("""{"spec":{"template":{"spec":{"containers":[{"name":"chat-server","image":"ghcr.io/wspool/chat-server:0.1.0","env":[{"name":"RELEASE","value":"N"}],"ports":[{"name":"ws","containerPort":8080}]}]}}}}"""
                    .Replace("\"N\"", $"\"{release}\"", StringComparison.Ordinal),
                V1Patch.PatchType.MergePatch),
            WebSocketPool.Group, WebSocketPool.Version, Ns, WebSocketPool.Plural, "roll");

    /// <summary>Until no rollout is in status, Progressing is false and no pod of <paramref name="oldPods"/> is left; with what was seen on the way.</summary>
    private async Task<(List<V1Pod> Pods, HashSet<string> Phases, HashSet<string> Progressing)> RolledOutAsync(HashSet<string> oldPods)
    {
        var phases = new HashSet<string>();
        var progressing = new HashSet<string>();
        var done = await Eventually.ValueAsync(async () =>
            {
                var pool = await PoolAsync();
                if (pool.Status?.Rollout?.Phase is { } phase)
                {
                    phases.Add(phase);
                    if (Condition(pool, "Progressing") is { } c) progressing.Add($"{c.Status}/{c.Reason}");
                }
                return (Pool: pool, Pods: await BackendPodsAsync());
            },
            s => s.Pool.Status?.Rollout is null && phases.Contains("Draining") && s.Pods.Count == 2 && s.Pods.All(p => !oldPods.Contains(p.Metadata.Name))
                 && Condition(s.Pool, "Progressing")?.Status == "False",
            "the rollout over: two new pods, no old one, Progressing false", TimeSpan.FromSeconds(150),
            s => $"rollout {KubernetesJson.Serialize(s.Pool.Status?.Rollout)}; pods {string.Join(", ", s.Pods.Select(p => p.Metadata.Name))}; phases {string.Join(",", phases)}");
        return (done.Pods, phases, progressing);
    }

    private async Task<List<V1Pod>> BackendPodsAsync() =>
        (await _session.Client.CoreV1.ListNamespacedPodAsync(Ns, labelSelector: BackendSelector)).Items.ToList();

    private async Task<WebSocketPool> PoolAsync() =>
        KubernetesJson.Deserialize<WebSocketPool>(KubernetesJson.Serialize(
            await _session.Client.CustomObjects.GetNamespacedCustomObjectAsync(WebSocketPool.Group, WebSocketPool.Version, Ns, WebSocketPool.Plural, "roll")));

    private static string History(ConnectionDetail client) =>
        $"client {client.Index}: {string.Join(" → ", client.Replicas)} (ends {string.Join(", ", client.Ends)})";

    private static V1Condition? Condition(WebSocketPool pool, string type) => pool.Status?.Conditions?.FirstOrDefault(c => c.Type == type);
}
