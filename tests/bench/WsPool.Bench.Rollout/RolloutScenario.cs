using WsPool.Local.Session;
using System.Diagnostics;
using WsPool.Load;
using WsPool.Local.View;

namespace WsPool.Bench.Rollout;

/// <summary>What the clients saw during one rollout, and what the API reported about its pods.</summary>
public sealed record RolloutResult
{
    public required string Scenario { get; init; }
    public required string Strategy { get; init; }
    public int? MaxReconnectsPerSecondBound { get; init; }
    public required string PoolYaml { get; init; }
    public int Clients { get; init; }
    public int Pods { get; init; }
    public int ReconnectsMax { get; init; }
    public double ReconnectsP99 { get; init; }
    public double ReconnectsMean { get; init; }
    public int ReconnectsTotal { get; init; }
    public int ClientsReconnected { get; init; }
    public int ReconnectsOntoOldRevision { get; init; }
    public int ReconnectsOntoUnknownPod { get; init; }
    public int FailedConnects { get; init; }
    public IReadOnlyDictionary<string, int> FailedByReason { get; init; } = new Dictionary<string, int>();
    public IReadOnlyDictionary<string, int> ClosedEarlyByCode { get; init; } = new Dictionary<string, int>();
    public long EchoSent { get; init; }
    public long EchoAnswered { get; init; }
    public long MessagesLost => EchoSent - EchoAnswered;
    public int PeakReconnectsPerSecond { get; init; }
    public double RolloutSeconds { get; init; }
    public double SettledSeconds { get; init; }
    public int ReconnectsBeforeChange { get; init; }
    public IReadOnlyDictionary<string, int> OpenPerPodBefore { get; init; } = new Dictionary<string, int>();
    public IReadOnlyDictionary<string, int> OpenPerPodAfter { get; init; } = new Dictionary<string, int>();
    public IReadOnlyList<int> ReconnectsPerSecond { get; init; } = [];
}

/// <summary>
/// Scenarios 1 and 2: clients on a pool of fixed size, then a new pod template, until every pod is of the new
/// revision and the clients have settled. Reconnect counts, revisions reached and times come from each client's
/// history (wsload's details: the replica /whoami named and when it connected); which pod is of which revision comes
/// from the API (the pods' pod-template-hash, the Deployment's ReplicaSets).
/// </summary>
public static class RolloutScenario
{
    private static readonly TimeSpan Quiet = TimeSpan.FromSeconds(5);

    public static async Task<RolloutResult> RunAsync(string scenario, string strategy, int clients, Action<string> log,
        CancellationToken cancellationToken)
    {
        var yaml = BenchPools.RolloutPool(strategy);
        await using var bench = await BenchSession.StartAsync(scenario, yaml, cancellationToken);
        var url = await bench.WaitReadyAsync(BenchPools.Pods, cancellationToken);
        log($"{scenario}: {BenchPools.Pods} pods ready at {url}; connecting {clients} clients");

        await using var run = await BenchSession.ConnectAsync(url, clients);
        await Task.Delay(TimeSpan.FromSeconds(3), cancellationToken);
        var before = run.Snapshot();
        var oldRevisions = await bench.Reader.ReadRevisionsAsync(cancellationToken);
        var podHash = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var pod in (await bench.Reader.ReadAsync(cancellationToken)).Pods) podHash[pod.Name] = pod.TemplateHash;
        log($"{scenario}: open per pod {Show(before.OpenPerReplica)}; changing the pod template");

        var changed = DateTimeOffset.UtcNow;
        await bench.Session.PatchPoolAsync(bench.Pool, BenchPools.TemplatePatch(2), cancellationToken);

        // Until the new revision's ReplicaSet has every pod ready, no pod of another revision is left (terminating
        // ones included), and the clients are all open with no reconnect for a few seconds.
        var clock = Stopwatch.StartNew();
        var timeout = TimeSpan.FromMinutes(10);
        DateTimeOffset? oldGone = null;
        string? newHash = null;
        var lastReconnects = -1;
        var quietSince = DateTimeOffset.UtcNow;
        var lastLog = TimeSpan.Zero;
        while (true)
        {
            if (clock.Elapsed > timeout)
                throw new ScenarioFailed($"{scenario}: the rollout did not finish within {timeout.TotalMinutes:0} min " +
                    $"(new revision {newHash ?? "not seen"}, old pods gone: {oldGone is not null}, clients {run.Snapshot()})");
            var snapshot = await bench.Reader.ReadAsync(cancellationToken);
            var revisions = await bench.Reader.ReadRevisionsAsync(cancellationToken);
            foreach (var pod in snapshot.Pods) podHash[pod.Name] = pod.TemplateHash;
            var newest = revisions.FirstOrDefault(r => oldRevisions.All(o => o.TemplateHash != r.TemplateHash));
            newHash = newest?.TemplateHash;
            var now = DateTimeOffset.UtcNow;
            if (newest is not null && oldGone is null && newest.ReadyReplicas == BenchPools.Pods
                && snapshot.Pods.Count == BenchPools.Pods && snapshot.Pods.All(p => p.TemplateHash == newHash && p.IsServing))
            {
                oldGone = now;
                log($"{scenario}: rollout done in {(now - changed).TotalSeconds:0.0}s; waiting for the clients to settle");
            }
            var clientsNow = run.Snapshot();
            if (clientsNow.Reconnects != lastReconnects || clientsNow.Open != clients)
            {
                lastReconnects = clientsNow.Reconnects;
                quietSince = now;
            }
            if (snapshot.Pool.Url != url.ToString())
                throw new ScenarioFailed($"{scenario}: the balancer moved ({url} → {snapshot.Pool.Url}): its pod was replaced and every connection dropped");
            if (oldGone is not null && now - quietSince >= Quiet) break;
            if (clock.Elapsed - lastLog >= TimeSpan.FromSeconds(10))
            {
                lastLog = clock.Elapsed;
                log($"{scenario}: {clock.Elapsed.TotalSeconds:0}s {LiveView.Line(snapshot)}; clients open {clientsNow.Open}, reconnects {clientsNow.Reconnects}");
            }
            await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken);
        }
        var settled = DateTimeOffset.UtcNow;
        var after = run.Snapshot();
        var summary = await run.StopAsync();
        var allRevisions = await bench.Reader.ReadRevisionsAsync(cancellationToken);
        return Figure(scenario, strategy, yaml, clients, summary, changed, oldGone!.Value, settled, newHash!, podHash, allRevisions,
            before.Reconnects, before.OpenPerReplica, after.OpenPerReplica);
    }

    private static RolloutResult Figure(string scenario, string strategy, string yaml, int clients, LoadSummary summary,
        DateTimeOffset changed, DateTimeOffset oldGone, DateTimeOffset settled, string newHash, Dictionary<string, string?> podHash,
        IReadOnlyList<RevisionSnapshot> revisions, int reconnectsBefore, IReadOnlyDictionary<string, int> openBefore,
        IReadOnlyDictionary<string, int> openAfter)
    {
        // A pod's revision: its pod-template-hash label as read from the API; for a pod that came and went between two
        // reads, the ReplicaSet whose generated names it carries (<replicaset>-<suffix>).
        string? HashOf(string pod) =>
            podHash.TryGetValue(pod, out var hash) && hash is not null ? hash
            : revisions.FirstOrDefault(r => pod.StartsWith(r.Name + "-", StringComparison.Ordinal))?.TemplateHash;

        var details = summary.Details ?? throw new ScenarioFailed($"{scenario}: wsload kept no per-connection details");
        var perClient = new List<int>(details.Count);
        var reconnectTimes = new List<DateTimeOffset>();
        int ontoOld = 0, ontoUnknown = 0;
        foreach (var d in details)
        {
            var count = 0;
            // Entry 0 is the first connect; every later one is a reconnect. Only those after the change are the rollout's.
            for (var i = 1; i < d.Replicas.Count; i++)
            {
                if (d.ConnectedAt[i] < changed) continue;
                count++;
                reconnectTimes.Add(d.ConnectedAt[i]);
                var hash = HashOf(d.Replicas[i]);
                if (hash is null) ontoUnknown++;
                else if (hash != newHash) ontoOld++;
            }
            perClient.Add(count);
        }
        var seconds = (int)Math.Ceiling((settled - changed).TotalSeconds);
        var perSecond = new int[Math.Max(1, seconds)];
        foreach (var t in reconnectTimes) perSecond[Math.Clamp((int)(t - changed).TotalSeconds, 0, perSecond.Length - 1)]++;

        return new RolloutResult
        {
            Scenario = scenario,
            Strategy = strategy,
            MaxReconnectsPerSecondBound = strategy == "ConnectionAware" ? BenchPools.MaxReconnectsPerSecond : null,
            PoolYaml = yaml,
            Clients = clients,
            Pods = BenchPools.Pods,
            ReconnectsMax = perClient.DefaultIfEmpty(0).Max(),
            ReconnectsP99 = Figures.Percentile(perClient, 99),
            ReconnectsMean = Math.Round(perClient.DefaultIfEmpty(0).Average(), 3),
            ReconnectsTotal = reconnectTimes.Count,
            ClientsReconnected = perClient.Count(c => c > 0),
            ReconnectsOntoOldRevision = ontoOld,
            ReconnectsOntoUnknownPod = ontoUnknown,
            FailedConnects = summary.FailedTotal,
            FailedByReason = summary.Failed,
            ClosedEarlyByCode = summary.ClosedEarly,
            EchoSent = summary.MessagesSent,
            EchoAnswered = summary.EchoLatency.Count,
            PeakReconnectsPerSecond = Figures.PeakPerSecond(reconnectTimes, changed),
            RolloutSeconds = Math.Round((oldGone - changed).TotalSeconds, 1),
            SettledSeconds = Math.Round((settled - changed).TotalSeconds, 1),
            ReconnectsBeforeChange = reconnectsBefore,
            OpenPerPodBefore = openBefore,
            OpenPerPodAfter = openAfter,
            ReconnectsPerSecond = perSecond,
        };
    }

    public static string Show(IReadOnlyDictionary<string, int> perPod) => string.Join(", ", perPod.Select(p => $"{p.Key}={p.Value}"));
}
