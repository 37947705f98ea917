// bench-operator: 1,000 WebSocketPools created at once against the API emulator, reconciled by the real operator
// running as its own process. Reports seconds until every pool is Ready, API requests to converge, the operator's
// peak working set, and write requests per minute at steady state. `--out PATH` writes the figures as JSON.
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using k8s;
using WsPool.Core.Api;
using WsPool.KubeEmulator;
using WsPool.Testing;

var outPath = args.SkipWhile(a => a != "--out").Skip(1).FirstOrDefault();
var pools = int.Parse(args.SkipWhile(a => a != "--pools").Skip(1).FirstOrDefault() ?? "1000", CultureInfo.InvariantCulture);
var steadySeconds = int.Parse(args.SkipWhile(a => a != "--steady-seconds").Skip(1).FirstOrDefault() ?? "60", CultureInfo.InvariantCulture);
var workers = args.SkipWhile(a => a != "--workers").Skip(1).FirstOrDefault() ?? "8";
var restartHoldSeconds = int.Parse(args.SkipWhile(a => a != "--restart-hold-seconds").Skip(1).FirstOrDefault() ?? "10", CultureInfo.InvariantCulture);
const int namespaceCount = 10;
var root = Repository.Root;
// `--operator DLL` measures another build of the operator, e.g. the ReadyToRun publish the container image ships.
var operatorDll = args.SkipWhile(a => a != "--operator").Skip(1).FirstOrDefault()
    ?? Path.Combine(root, "src/WsPool.Operator/bin/Release/net10.0/WsPool.Operator.dll");
if (!File.Exists(operatorDll))
{
    Console.Error.WriteLine($"bench-operator: {operatorDll} is missing; build with -c Release");
    return 2;
}

var namespaces = Enumerable.Range(0, namespaceCount).Select(i => $"bench-{i}").ToList();
await using var api = await KubeApiEmulator.StartAsync(new EmulatorOptions
{
    Namespaces = ["default", "kube-system", .. namespaces],
    BookmarkInterval = TimeSpan.FromSeconds(10),
});
api.Store.ApplyYaml(File.ReadAllText(Path.Combine(root, "crds/websocketpools.wspool.dev.yaml")));
var kubeconfig = Path.Combine(Path.GetTempPath(), $"wspool-bench-{Environment.ProcessId}.kubeconfig");
api.WriteKubeconfig(kubeconfig);

var healthPort = FreePort.Next();
var metricsPort = FreePort.Next();
using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
var op = await StartOperatorAsync();
// The baseline, measured in the same run: the operator with caches synced and nothing to reconcile.
var idle = new PeakMemory(op.Id);
idle.Sample();
try
{

    var template = KubernetesYaml.Deserialize<WebSocketPool>(File.ReadAllText(Path.Combine(root, "examples/ticker.yaml")), strict: true);
    api.Requests.Clear();
    var peak = new PeakMemory(op.Id);
    // The pools are built before the clock starts: copying the template is the bench's work, not the operator's.
    var templateJson = KubernetesJson.Serialize(template);
    var batch = Enumerable.Range(0, pools).Select(i =>
    {
        var pool = KubernetesJson.Deserialize<WebSocketPool>(templateJson);
        pool.Metadata.Name = $"pool-{i:D4}";
        pool.Metadata.NamespaceProperty = namespaces[i % namespaceCount];
        return pool;
    }).ToList();
    var emulatorCpuAtStart = Process.GetCurrentProcess().TotalProcessorTime;
    var operatorCpuAtStart = ProcessCpu.Of(op.Id);
    var clock = Stopwatch.StartNew();
    foreach (var pool in batch) api.Store.Create(pool);
    var created = clock.Elapsed;
    await WaitUntil(() =>
    {
        peak.Sample();
        return Task.FromResult(api.Store.List<WebSocketPool>().Count(IsReady) == pools);
    }, TimeSpan.FromSeconds(300), "all pools Ready", TimeSpan.FromMilliseconds(200));
    var toReady = clock.Elapsed;
    var operatorCpu = ProcessCpu.Of(op.Id) - operatorCpuAtStart;
    var emulatorCpu = Process.GetCurrentProcess().TotalProcessorTime - emulatorCpuAtStart;
    var reconcilesToConverge = await ReconcileCount();
    var requestsToConverge = api.Requests.All.Count(IsOperator);
    var writesToConverge = api.Requests.All.Count(r => IsOperator(r) && r.IsWrite);

    // Steady state: let the last status writes settle, then count writes over several resync periods.
    await Task.Delay(TimeSpan.FromSeconds(5));
    api.Requests.Clear();
    var window = Stopwatch.StartNew();
    while (window.Elapsed < TimeSpan.FromSeconds(steadySeconds))
    {
        peak.Sample();
        await Task.Delay(500);
    }
    var steadyWrites = api.Requests.All.Count(r => IsOperator(r) && r.IsWrite);
    var steadyRequests = api.Requests.All.Count(IsOperator);
    var writesPerMinute = steadyWrites / window.Elapsed.TotalMinutes;
    peak.Sample();

    // A restart on the converged cluster: the new process knows nothing of what the first applied, lists every owned
    // object whole and compares each with its intent once. It must find nothing to write.
    await op.DisposeAsync();
    api.Requests.Clear();
    var restartClock = Stopwatch.StartNew();
    op = await StartOperatorAsync();
    var restartPeak = new PeakMemory(op.Id);
    await WaitUntil(async () =>
    {
        restartPeak.Sample();
        return await ReconcileCount() >= pools;
    }, TimeSpan.FromSeconds(300), "every pool reconciled after the restart", TimeSpan.FromMilliseconds(200));
    var restartSeconds = restartClock.Elapsed.TotalSeconds;
    // Then one resync period more: the restarted operator's second look at every pool must not write either.
    var hold = Stopwatch.StartNew();
    while (hold.Elapsed < TimeSpan.FromSeconds(restartHoldSeconds))
    {
        restartPeak.Sample();
        await Task.Delay(200);
    }
    restartPeak.Sample();
    var restartWrites = api.Requests.All.Count(r => IsOperator(r) && r.IsWrite);
    await op.DisposeAsync();

    var figures = new Dictionary<string, object>
    {
        ["pools"] = pools,
        ["secondsToAllReady"] = Math.Round(toReady.TotalSeconds, 2),
        ["requestsToConverge"] = requestsToConverge,
        ["writesToConverge"] = writesToConverge,
        ["reconcilesToConverge"] = reconcilesToConverge,
        ["writesPerMinuteAtSteadyState"] = Math.Round(writesPerMinute, 2),
        ["requestsPerMinuteAtSteadyState"] = Math.Round(steadyRequests / window.Elapsed.TotalMinutes, 2),
        ["peakWorkingSetMB"] = Math.Round(peak.PeakBytes / 1024.0 / 1024.0, 1),
        ["idleWorkingSetMB"] = Math.Round(idle.PeakBytes / 1024.0 / 1024.0, 1),
        ["restartSecondsToReconcileAll"] = Math.Round(restartSeconds, 2),
        ["restartWrites"] = restartWrites,
        ["restartPeakWorkingSetMB"] = Math.Round(restartPeak.PeakBytes / 1024.0 / 1024.0, 1),
        ["operatorCpuSecondsToConverge"] = Math.Round(operatorCpu.TotalSeconds, 2),
        ["emulatorCpuSecondsToConverge"] = Math.Round(emulatorCpu.TotalSeconds, 2),
        ["steadyStateWindowSeconds"] = Math.Round(window.Elapsed.TotalSeconds, 1),
        ["resyncPeriodSeconds"] = 10,
        ["workers"] = int.Parse(workers, CultureInfo.InvariantCulture),
        ["targets"] = new Dictionary<string, object> { ["secondsToAllReady"] = 30, ["writesPerMinuteAtSteadyState"] = 0, ["peakWorkingSetMB"] = 200 },
    };

    Console.WriteLine();
    Console.WriteLine($"bench-operator: {pools} pools in {namespaceCount} namespaces, operator process against the API emulator");
    Console.WriteLine($"{"figure",-34} {"value",12} {"target",10}");
    Console.WriteLine(new string('-', 58));
    Row("pools created (store, no HTTP)", $"{created.TotalSeconds:F2} s", "");
    Row("seconds to all Ready", $"{toReady.TotalSeconds:F2}", "≤ 30");
    Row("  operator CPU to converge", $"{operatorCpu.TotalSeconds:F2} s", "");
    Row("  emulator + bench CPU to converge", $"{emulatorCpu.TotalSeconds:F2} s", "");
    Row("reconciles to converge", $"{reconcilesToConverge}", "");
    Row("API requests to converge", $"{requestsToConverge}", "");
    Row("  of which writes", $"{writesToConverge}", "");
    Row("writes/min at steady state", $"{writesPerMinute:F2}", "0");
    Row("requests/min at steady state", $"{steadyRequests / window.Elapsed.TotalMinutes:F2}", "");
    Row("operator peak working set", $"{peak.PeakBytes / 1024.0 / 1024.0:F1} MB", "≤ 200");
    Row("  baseline: idle, before the pools", $"{idle.PeakBytes / 1024.0 / 1024.0:F1} MB", "");
    Row("restart: seconds to reconcile all", $"{restartSeconds:F2}", "");
    Row("  writes after the restart", $"{restartWrites}", "0");
    Row("  peak working set after restart", $"{restartPeak.PeakBytes / 1024.0 / 1024.0:F1} MB", "");
    if (outPath is not null)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(outPath))!);
        await File.WriteAllTextAsync(outPath, JsonSerializer.Serialize(figures, new JsonSerializerOptions { WriteIndented = true }));
        Console.WriteLine($"wrote {outPath}");
    }
}
finally
{
    await op.DisposeAsync();
}
File.Delete(kubeconfig);
return 0;

async Task<ManagedProcess> StartOperatorAsync()
{
    var process = ManagedProcess.Start("dotnet", [operatorDll,
        "--kubeconfig", kubeconfig, "--leader-election", "false", "--bind-address", "127.0.0.1",
        "--health-port", healthPort.ToString(CultureInfo.InvariantCulture),
        "--metrics-port", metricsPort.ToString(CultureInfo.InvariantCulture),
        "--workers", workers, "--resync-period", "10s"],
        OperatorEnvironment());
    try
    {
        await WaitUntil(async () => !process.HasExited && (await TryGet($"http://127.0.0.1:{healthPort}/readyz")) == "ok",
            TimeSpan.FromSeconds(60), "operator ready");
    }
    catch (TimeoutException)
    {
        Console.Error.WriteLine(process.Output);
        throw;
    }
    return process;
}

// The operator's environment: quiet logs, plus any `--operator-env NAME=VALUE` (repeatable) for experiments.
Dictionary<string, string> OperatorEnvironment()
{
    var env = new Dictionary<string, string> { ["Logging__LogLevel__Default"] = "Warning" };
    for (var i = 0; i + 1 < args.Length; i++)
        if (args[i] == "--operator-env" && args[i + 1].Split('=', 2) is [var name, var value]) env[name] = value;
    return env;
}

static void Row(string name, string value, string target) => Console.WriteLine($"{name,-34} {value,12} {target,10}");

static bool IsOperator(WsPool.KubeEmulator.Recording.RecordedRequest r) =>
    r.UserAgent?.StartsWith("wspool-operator", StringComparison.Ordinal) == true;

static bool IsReady(WebSocketPool pool) =>
    pool.Status?.Conditions?.FirstOrDefault(c => c.Type == "Ready") is { Status: "True" } c
    && c.ObservedGeneration == pool.Metadata.Generation;

// The operator's own count of reconciles (all results), summed over its wspool_reconcile_total series.
async Task<long> ReconcileCount()
{
    var text = await TryGet($"http://127.0.0.1:{metricsPort}/metrics") ?? "";
    return (long)text.Split('\n')
        .Where(l => l.StartsWith("wspool_reconcile_total{", StringComparison.Ordinal))
        .Sum(l => double.Parse(l[(l.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture));
}

async Task<string?> TryGet(string url)
{
    try { return await http.GetStringAsync(url); }
    catch (Exception) { return null; }
}

static async Task WaitUntil(Func<Task<bool>> condition, TimeSpan timeout, string what, TimeSpan? poll = null)
{
    var deadline = Stopwatch.StartNew();
    while (!await condition())
    {
        if (deadline.Elapsed > timeout) throw new TimeoutException($"bench-operator: timed out waiting for {what}");
        await Task.Delay(poll ?? TimeSpan.FromMilliseconds(100));
    }
}

/// <summary>User plus system CPU time of another process, from /proc/PID/stat (clock ticks, 100 per second on Linux).</summary>
internal static class ProcessCpu
{
    public static TimeSpan Of(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        // Fields after the parenthesised command name; utime and stime are the 14th and 15th fields overall.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds(ticks / 100.0);
    }
}

/// <summary>The operator process's peak resident set: the kernel's high-water mark (VmHWM), sampled.</summary>
internal sealed class PeakMemory(int pid)
{
    public long PeakBytes { get; private set; }

    public void Sample()
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (!line.StartsWith("VmHWM:", StringComparison.Ordinal)) continue;
                var kb = long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
                PeakBytes = Math.Max(PeakBytes, kb * 1024);
            }
        }
        catch (IOException)
        {
        }
    }
}
