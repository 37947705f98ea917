using WsPool.Load;
using WsPool.Local.Session;
using WsPool.Local.View;

namespace WsPool.Local.Tests.EndToEnd;

/// <summary>
/// The whole local loop, small: the embedded API, the real operator, pods as processes, dnsmasq and the real HAProxy.
/// Real clients surge, the pool scales up, new connections reach the new pod through the balancer without a reload,
/// the surge leaves, the pool scales down and the drained clients reconnect: every assertion is on what the clients
/// saw or what the API and the node report, never on the operator's own belief.
/// </summary>
[Collection(LocalSessions.Name)]
public sealed class LocalLoopTests : IAsyncLifetime
{
    private readonly DirectoryInfo _state = Directory.CreateTempSubdirectory("wspool-local-e2e-");
    private LocalSession _session = null!;

    public async Task InitializeAsync() => _session = await LocalSessions.StartAsync("small-chat.yaml", _state);

    public async Task DisposeAsync()
    {
        await _session.DisposeAsync();
        _state.Delete(recursive: true);
    }

    [Fact]
    public async Task A_surge_scales_up_reaches_the_new_pod_without_a_reload_and_a_decline_drains_with_no_abrupt_close()
    {
        var reader = new SnapshotReader(_session, _session.Pools[0]);
        var ready = await Eventually.ValueAsync(() => reader.ReadAsync(CancellationToken.None),
            s => s.Pool.ReadyReplicas == 1 && s.Pool.Url.StartsWith("ws://", StringComparison.Ordinal) && s.ServingPods == 1,
            "one ready backend pod and the balancer's URL", TimeSpan.FromSeconds(90), LiveView.Line);
        var url = new Uri(ready.Pool.Url);
        var firstPod = ready.Pods.Single(p => p.IsServing).Name;

        // The floor (clients that stay) arrives with the surge, so both pods end up with some of it, and the pod the
        // scale-down removes has live clients to drain.
        await using var floor = LoadRunner.Start(new LoadOptions { Url = url, Connections = 50, ConnectRate = 5, Hold = null, Reconnect = true });
        await using var surge = LoadRunner.Start(new LoadOptions { Url = url, Connections = 150, ConnectRate = 15, Hold = null });

        var scaled = await Eventually.ValueAsync(() => reader.ReadAsync(CancellationToken.None),
            s => s.ServingPods >= 2, "a second backend pod serving after the surge", TimeSpan.FromSeconds(90), LiveView.Line);
        var newPods = scaled.Pods.Where(p => p.IsServing && p.Name != firstPod).Select(p => p.Name).ToList();
        var surged = await surge.WaitForAsync(s => s.RampDone, TimeSpan.FromSeconds(90));
        surged.OpenPerReplica.Keys.Should().Contain(k => newPods.Contains(k),
            $"connections made after the scale-up reach the new pod through the balancer (per replica: {string.Join(", ", surged.OpenPerReplica)})");
        _session.BalancerReloads(Core.Rendering.PoolNames.Of(_session.Pools[0])).Should().Be(0, "HAProxy finds new pods through DNS");

        // The decline: the surge leaves; the floor stays and is drained off the pods that go.
        var surgeSummary = await surge.StopAsync();
        var down = await Eventually.ValueAsync(() => reader.ReadAsync(CancellationToken.None),
            s => s.Pool.DesiredReplicas == 1 && s.Pods.Count == 1 && s.ServingPods == 1,
            "the pool back at one pod with nothing left terminating", TimeSpan.FromSeconds(120), LiveView.Line);
        await floor.WaitForAsync(s => s.Open == 50, TimeSpan.FromSeconds(30));
        var floorSummary = await floor.StopAsync();

        (surgeSummary.FailedTotal + floorSummary.FailedTotal).Should().Be(0,
            $"no client was refused (surge: {string.Join(", ", surgeSummary.Failed)}; floor: {string.Join(", ", floorSummary.Failed)}; " +
            $"pods: {string.Join("; ", _session.Node.Pods)})");
        (surgeSummary.ClosedEarly.GetValueOrDefault("abnormal") + floorSummary.ClosedEarly.GetValueOrDefault("abnormal"))
            .Should().Be(0, $"a drain closes politely (floor: {string.Join(", ", floorSummary.ClosedEarly)})");
        _session.BalancerReloads(Core.Rendering.PoolNames.Of(_session.Pools[0])).Should().Be(0, "scaling down needs no reload either");
        down.Pods.Should().ContainSingle();
        floorSummary.ClosedEarly.GetValueOrDefault("1001").Should().BePositive("the removed pod drained its clients with 1001 (Going Away)");
        floorSummary.Reconnects.Should().BePositive("drained clients reconnect through the balancer onto the remaining pod");
    }
}
