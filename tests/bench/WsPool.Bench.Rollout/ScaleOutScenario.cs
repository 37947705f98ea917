using WsPool.Local.Session;
using WsPool.Local.View;

namespace WsPool.Bench.Rollout;

/// <summary>What the clients saw after one pod was added to a loaded pool.</summary>
public sealed record ScaleOutResult
{
    public required string Scenario { get; init; }
    public bool Rebalance { get; init; }
    public required string PoolYaml { get; init; }
    public int Clients { get; init; }
    public int PodsBefore { get; init; }
    public int PodsAfter { get; init; }
    public double SettleSeconds { get; init; }
    public IReadOnlyDictionary<string, int> OpenPerPodBefore { get; init; } = new Dictionary<string, int>();
    public IReadOnlyDictionary<string, int> OpenPerPodAtReady { get; init; } = new Dictionary<string, int>();
    public IReadOnlyDictionary<string, int> OpenPerPodAfter { get; init; } = new Dictionary<string, int>();
    public int MaxPerPod { get; init; }
    public int MinPerPod { get; init; }

    /// <summary>max/min 30 s after the new pod was ready; +∞ (null in JSON) when a pod had none.</summary>
    public double Evenness { get; init; }

    public int Shed { get; init; }
    public int MinimumMoves { get; init; }
    public int FailedConnects { get; init; }
    public IReadOnlyDictionary<string, int> ClosedEarlyByCode { get; init; } = new Dictionary<string, int>();
}

/// <summary>
/// Scenario 3: clients on 4 pods, then a fifth; open connections per pod 30 s after the new pod is ready, counted
/// by the clients (/whoami per connection), with rebalancing off and on. Shed connections are the clients' 1012
/// closes; the fewest moves is computed from the distribution the clients saw when the new pod became ready.
/// </summary>
public static class ScaleOutScenario
{
    public static readonly TimeSpan Settle = TimeSpan.FromSeconds(30);
    public const double EvennessGoal = 1.5;

    public static async Task<ScaleOutResult> RunAsync(string scenario, bool rebalance, int clients, Action<string> log,
        CancellationToken cancellationToken)
    {
        var yaml = BenchPools.ScaleOutPool(rebalance);
        var pods = BenchPools.Pods;
        await using var bench = await BenchSession.StartAsync(scenario, yaml, cancellationToken);
        var url = await bench.WaitReadyAsync(pods, cancellationToken);
        log($"{scenario}: {pods} pods ready at {url}; connecting {clients} clients");

        await using var run = await BenchSession.ConnectAsync(url, clients);
        await Task.Delay(TimeSpan.FromSeconds(3), cancellationToken);
        var before = run.Snapshot().OpenPerReplica;
        log($"{scenario}: open per pod {RolloutScenario.Show(before)}; adding a pod");

        await bench.Session.PatchPoolAsync(bench.Pool, BenchPools.ScaleOutPatch(pods + 1), cancellationToken);
        var ready = await bench.UntilAsync(s => s.ServingPods == pods + 1, TimeSpan.FromMinutes(2), $"{pods + 1} serving pods", cancellationToken);
        var atReady = PerServingPod(ready, run.Snapshot().OpenPerReplica);
        log($"{scenario}: pod {pods + 1} ready; open per pod {RolloutScenario.Show(atReady)}; measuring in {Settle.TotalSeconds:0}s");

        await Task.Delay(Settle, cancellationToken);
        var last = await bench.Reader.ReadAsync(cancellationToken);
        if (last.ServingPods != pods + 1)
            throw new ScenarioFailed($"{scenario}: {last.ServingPods} serving pods at the measurement, expected {pods + 1}: {LiveView.Line(last)}");
        if (last.Pool.Url != url.ToString())
            throw new ScenarioFailed($"{scenario}: the balancer moved ({url} → {last.Pool.Url}): its pod was replaced and every connection dropped; the figures would measure that, not the scale-out");
        var after = PerServingPod(last, run.Snapshot().OpenPerReplica);
        var summary = await run.StopAsync();
        log($"{scenario}: open per pod after {Settle.TotalSeconds:0}s {RolloutScenario.Show(after)}");

        return new ScaleOutResult
        {
            Scenario = scenario,
            Rebalance = rebalance,
            PoolYaml = yaml,
            Clients = clients,
            PodsBefore = pods,
            PodsAfter = pods + 1,
            SettleSeconds = Settle.TotalSeconds,
            OpenPerPodBefore = before,
            OpenPerPodAtReady = atReady,
            OpenPerPodAfter = after,
            MaxPerPod = after.Values.Max(),
            MinPerPod = after.Values.Min(),
            Evenness = Figures.Evenness(after.Values.ToList()),
            Shed = summary.ClosedEarly.GetValueOrDefault("1012"),
            MinimumMoves = Figures.MinimumMoves(atReady.Values.ToList(), EvennessGoal),
            FailedConnects = summary.FailedTotal,
            ClosedEarlyByCode = summary.ClosedEarly,
        };
    }

    /// <summary>The clients' open connections on every serving pod the API lists (0 for a pod no client is on).</summary>
    private static IReadOnlyDictionary<string, int> PerServingPod(LocalSnapshot snapshot, IReadOnlyDictionary<string, int> open) =>
        new SortedDictionary<string, int>(snapshot.Pods.Where(p => p.IsServing).ToDictionary(p => p.Name, p => open.GetValueOrDefault(p.Name)),
            StringComparer.Ordinal);
}
