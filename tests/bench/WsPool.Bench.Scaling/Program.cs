using Stopwatch = System.Diagnostics.Stopwatch;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using WsPool.Bench.Scaling;

// bench-scaling: replays connection traces against wspool's policy, HPA v2, KEDA and an oracle in a deterministic
// simulator; prints a table, writes the figures as JSON and one SVG chart per trace next to it.
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

var outPath = "out/bench/scaling.json";
var verbose = false;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--out" when i + 1 < args.Length: outPath = args[++i]; break;
        case "--verbose": verbose = true; break;
        default:
            Console.Error.WriteLine($"unknown argument '{args[i]}'. usage: --out FILE.json [--verbose]");
            return 2;
    }
}

var pool = new PoolModel();
var clock = Stopwatch.StartNew();
var rows = new List<Row>();
var outDir = Path.GetDirectoryName(Path.GetFullPath(outPath))!;
Directory.CreateDirectory(outDir);

foreach (var trace in Trace.All)
{
    var wspool = new WsPoolModel(pool);
    IScalingModel[] models =
    [
        wspool,
        new HpaModel("hpa", pool),
        new HpaModel("keda", pool, metricRefreshSeconds: 30, externalMetric: true),
        new OracleModel(pool, trace),
    ];
    var results = models.AsParallel().AsOrdered().Select(m => new Simulator(pool, trace, m).Run()).ToList();
    var oracle = results.Single(r => r.Policy == "oracle");
    foreach (var r in results)
        rows.Add(new Row(r.Trace, r.Policy, r.Refused, r.PodSeconds,
            Math.Round(r.PodSeconds / (double)oracle.PodSeconds, 3), r.SecondsToCapacity, r.ScaleEvents));
    var svgPath = Path.Combine(outDir, $"scaling-{trace.Name}.svg");
    File.WriteAllText(svgPath, SvgChart.Draw(trace, results, pool));
    if (verbose)
        foreach (var (time, reason) in wspool.Changes.Where(c => c.Time >= 0).Take(12))
            Console.WriteLine($"  {trace.Name} t={time,6}s {reason}");
}

Console.WriteLine($"pool: min {pool.MinReplicas}, max {pool.MaxReplicas}, target {pool.Target}, limit {pool.Limit} per pod, " +
                  $"start-up {pool.StartupSeconds} s, drain {pool.DrainSeconds} s, retry backoff {pool.RetryBackoffSeconds} s");
Console.WriteLine($"{"trace",-12} {"policy",-7} {"refused",10} {"podSeconds",12} {"vsOracle",9} {"toCapacity",11} {"scaleEvents",12}");
Console.WriteLine(new string('-', 79));
foreach (var r in rows)
    Console.WriteLine($"{r.Trace,-12} {r.Policy,-7} {r.Refused,10:N0} {r.PodSeconds,12:N0} {r.PodSecondsVsOracle,9:0.000} " +
                      $"{(r.SecondsToCapacity is { } s ? s + " s" : "-"),11} {r.ScaleEvents,12}");

File.WriteAllText(outPath, JsonSerializer.Serialize(rows, new JsonSerializerOptions { WriteIndented = true }) + "\n");
Console.WriteLine($"wrote {outPath} and {outDir}/scaling-<trace>.svg in {clock.Elapsed.TotalSeconds:0.0} s");

var flash = rows.Where(r => r.Trace == "flash-crowd").ToDictionary(r => r.Policy);
var met = flash["wspool"].Refused == 0 && flash["hpa"].Refused > 0 && flash["keda"].Refused > 0
          && flash["wspool"].PodSecondsVsOracle <= 1.3;
Console.WriteLine($"target (flash-crowd: wspool refuses 0 where hpa and keda refuse some, podSeconds ≤ 1.3 × oracle): " +
                  $"{(met ? "met" : "MISSED")} — wspool refused {flash["wspool"].Refused:N0} at {flash["wspool"].PodSecondsVsOracle:0.000} × oracle; " +
                  $"hpa refused {flash["hpa"].Refused:N0}, keda {flash["keda"].Refused:N0}");
return 0;

/// <summary>One line of the JSON: exactly the fields the issue names.</summary>
internal sealed record Row(
    [property: JsonPropertyName("trace")] string Trace,
    [property: JsonPropertyName("policy")] string Policy,
    [property: JsonPropertyName("refused")] long Refused,
    [property: JsonPropertyName("podSeconds")] long PodSeconds,
    [property: JsonPropertyName("podSecondsVsOracle")] double PodSecondsVsOracle,
    [property: JsonPropertyName("secondsToCapacity")] int? SecondsToCapacity,
    [property: JsonPropertyName("scaleEvents")] int ScaleEvents);
