// bench-rollout: connection-aware rollouts and rebalancing, measured with real HAProxy, real chat-server pods and real
// clients (wsload's engine) on local mode, one run: a pod-template change under 2,000 cookie-affine clients with the
// plain Deployment rolling update (baseline) and the connection-aware rollout (ours), and the scale-out evenness with
// rebalancing off (baseline) and on (ours). Table on stdout, the same figures in JSON to --out. Every figure comes
// from what the clients saw or what the API reports, never from the operator's own belief.
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using WsPool.Bench.Rollout;

var all = new[] { "rollout-baseline", "rollout-ours", "scaleout-baseline", "scaleout-ours" };
var outPath = ArgValue("--out") ?? "out/bench/rollout.json";
var clients = int.Parse(ArgValue("--clients") ?? "2000", CultureInfo.InvariantCulture);
var requested = (ArgValue("--scenarios") ?? "all").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
    .SelectMany(s => s switch
    {
        "all" => all,
        "baseline" => ["rollout-baseline", "scaleout-baseline"],
        "ours" => ["rollout-ours", "scaleout-ours"],
        "rollout" => ["rollout-baseline", "rollout-ours"],
        "scaleout" => ["scaleout-baseline", "scaleout-ours"],
        _ when all.Contains(s) => [s],
        _ => throw new ArgumentException($"--scenarios: unknown '{s}'; give all, baseline, ours, rollout, scaleout or any of {string.Join(", ", all)}"),
    })
    .Distinct().OrderBy(s => Array.IndexOf(all, s)).ToList();

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };
var memory = MemorySampler.Start();
var clock = Stopwatch.StartNew();
void Log(string line) => Console.WriteLine($"[{clock.Elapsed:mm\\:ss}] {line}");

var rollouts = new List<RolloutResult>();
var scaleOuts = new List<ScaleOutResult>();
try
{
    foreach (var scenario in requested)
    {
        switch (scenario)
        {
            case "rollout-baseline":
                rollouts.Add(await RolloutScenario.RunAsync(scenario, "RollingUpdate", clients, Log, cancel.Token));
                break;
            case "rollout-ours":
                rollouts.Add(await RolloutScenario.RunAsync(scenario, "ConnectionAware", clients, Log, cancel.Token));
                break;
            case "scaleout-baseline":
                scaleOuts.Add(await ScaleOutScenario.RunAsync(scenario, rebalance: false, clients, Log, cancel.Token));
                break;
            case "scaleout-ours":
                scaleOuts.Add(await ScaleOutScenario.RunAsync(scenario, rebalance: true, clients, Log, cancel.Token));
                break;
        }
    }
}
catch (ScenarioFailed e)
{
    Console.Error.WriteLine($"bench-rollout: FAILED, no figures written: {e.Message}");
    return 1;
}
catch (OperationCanceledException)
{
    Console.Error.WriteLine("bench-rollout: cancelled, no figures written");
    return 1;
}
var peakMemoryMb = memory.Stop();

Console.WriteLine();
Console.WriteLine($"Rollout: {clients} clients (cookie affinity, reconnecting, echo 0.2/s) over {BenchPools.Pods} pods, pod template changed once");
Console.WriteLine($"{"scenario",-17} {"strategy",-15} {"rc max",6} {"rc p99",6} {"rc mean",7} {"onto old",8} {"refused",7} {"lost msg",8} {"peak rc/s",9} {"bound",5} {"rollout s",9}");
foreach (var r in rollouts)
    Console.WriteLine($"{r.Scenario,-17} {(r.Strategy.StartsWith("RollingUpdate", StringComparison.Ordinal) ? "RollingUpdate" : r.Strategy),-15} {r.ReconnectsMax,6} {r.ReconnectsP99,6:0} {r.ReconnectsMean,7:0.00} {r.ReconnectsOntoOldRevision,8} {r.FailedConnects,7} {r.MessagesLost,8} {r.PeakReconnectsPerSecond,9} {(r.MaxReconnectsPerSecondBound?.ToString(CultureInfo.InvariantCulture) ?? "-"),5} {r.RolloutSeconds,9:0.0}");
if (rollouts.Count > 0)
    Console.WriteLine($"{"goal (ours)",-17} {"",-15} {1,6} {"",6} {"",7} {0,8} {0,7} {"",8} {"≤ bound",9} {"",5} {"",9}");

Console.WriteLine();
Console.WriteLine($"Scale-out: {clients} clients on {BenchPools.Pods} pods, one pod added, open connections per pod (clients' count) {ScaleOutScenario.Settle.TotalSeconds:0}s after it is ready");
Console.WriteLine($"{"scenario",-17} {"rebalance",-9} {"max/min",8} {"max",5} {"min",5} {"shed",5} {"min moves",9} {"shed/min",8} {"refused",7}");
foreach (var s in scaleOuts)
    Console.WriteLine($"{s.Scenario,-17} {(s.Rebalance ? "on" : "off"),-9} {Ratio(s.Evenness),8} {s.MaxPerPod,5} {s.MinPerPod,5} {s.Shed,5} {s.MinimumMoves,9} {(s.MinimumMoves == 0 ? "-" : (s.Shed / (double)s.MinimumMoves).ToString("0.00", CultureInfo.InvariantCulture)),8} {s.FailedConnects,7}");
if (scaleOuts.Count > 0)
    Console.WriteLine($"{"goal (ours)",-17} {"",-9} {"≤ 1.50",8} {"",5} {"",5} {"",5} {"",9} {"≤ 1.10",8} {0,7}");

Console.WriteLine();
Console.WriteLine($"run time {clock.Elapsed.TotalSeconds:0}s; peak memory of the bench and its processes {peakMemoryMb:0} MB; {Environment.ProcessorCount} cores");

var json = new JsonObject
{
    ["bench"] = "rollout",
    ["time"] = DateTimeOffset.UtcNow.ToString("O"),
    ["machine"] = new JsonObject
    {
        ["os"] = RuntimeInformation.OSDescription,
        ["runtime"] = RuntimeInformation.FrameworkDescription,
        ["cores"] = Environment.ProcessorCount,
        ["memoryMb"] = MemorySampler.TotalMemoryMb(),
    },
    ["runSeconds"] = Math.Round(clock.Elapsed.TotalSeconds, 1),
    ["peakMemoryMb"] = Math.Round(peakMemoryMb),
    ["scenarios"] = new JsonArray(requested.Select(s => JsonValue.Create(s)).ToArray<JsonNode?>()),
    ["goals"] = new JsonObject
    {
        ["rolloutMaxReconnectsPerClient"] = 1,
        ["rolloutReconnectsOntoOldRevision"] = 0,
        ["rolloutRefused"] = 0,
        ["rolloutPeakReconnectsPerSecond"] = "≤ spec.rollout.maxReconnectsPerSecond",
        ["scaleOutMaxToMin"] = ScaleOutScenario.EvennessGoal,
        ["scaleOutShedToMinimumMoves"] = 1.1,
    },
    ["rollout"] = JsonSerializer.SerializeToNode(rollouts, JsonOptions()),
    ["scaleOut"] = JsonSerializer.SerializeToNode(scaleOuts.Select(s => new
    {
        s.Scenario, s.Rebalance, s.Clients, s.PodsBefore, s.PodsAfter, s.SettleSeconds,
        s.OpenPerPodBefore, s.OpenPerPodAtReady, s.OpenPerPodAfter, s.MaxPerPod, s.MinPerPod,
        Evenness = double.IsFinite(s.Evenness) ? Math.Round(s.Evenness, 3) : (double?)null,
        s.Shed, s.MinimumMoves,
        ShedToMinimumMoves = s.MinimumMoves == 0 ? (double?)null : Math.Round(s.Shed / (double)s.MinimumMoves, 3),
        s.FailedConnects, s.ClosedEarlyByCode, s.PoolYaml,
    }), JsonOptions()),
};
Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(outPath))!);
File.WriteAllText(outPath, json.ToJsonString(JsonOptions()));
Console.WriteLine($"wrote {outPath}");
return 0;

static string Ratio(double value) => double.IsPositiveInfinity(value) ? "inf" : value.ToString("0.00", CultureInfo.InvariantCulture);

static JsonSerializerOptions JsonOptions() => new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

string? ArgValue(string name)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}
