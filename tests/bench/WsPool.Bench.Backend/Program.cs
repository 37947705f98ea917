using System.Globalization;
using System.Net;
using System.Text.Json;
using Spectre.Console;
using WsPool.Bench.Backend;
using WsPool.Testing;

// make bench-backend: memory per idle WebSocket connection and accepted connections per second of the chat server,
// with a bare Kestrel WebSocket server measured the same way in the same run as the baseline.
if (args.Contains("--serve-baseline")) return await BaselineServer.RunAsync(args.Where(a => a != "--serve-baseline").ToArray());

var outPath = Option("--out") ?? "out/bench/backend.json";
var connections = int.Parse(Option("--connections") ?? "10000", CultureInfo.InvariantCulture);
const long MemoryTarget = 32 * 1024;
const double AcceptTarget = 2000;

// The open-file limit is 20,000 per process: the server holds one socket per connection, this process one too.
if (connections > 18_000) throw new ArgumentException("--connections: at most 18000 fit the 20,000 open-file limit");
// Client sockets come from eight loopback addresses, so no single address runs short of ephemeral ports.
var sources = Enumerable.Range(1, 8).Select(i => IPAddress.Parse($"127.0.0.{i}")).ToList();

// Piped output (make, CI logs) gets 80 columns by default, too narrow for the table.
if (AnsiConsole.Profile.Width < 140) AnsiConsole.Profile.Width = 140;
AnsiConsole.MarkupLine($"[bold]bench-backend[/]: {connections:N0} idle connections per server, load average {LoadAverage()}");

const int AcceptRounds = 3;
var acceptConnections = Math.Min(connections, 3000);

await using var chatServer = await ChatServerProcess.StartAsync(new ChatServerOptions { Address = "127.0.0.100", ReplicaName = "bench" });
var baselinePort = FreePort.Next(IPAddress.Parse("127.0.0.101"));
await using var baselineProcess = ManagedProcess.Start(ChatServerProcess.DotnetHost(),
    [typeof(BaselineServer).Assembly.Location, "--serve-baseline", "--urls", $"http://127.0.0.101:{baselinePort}"]);
await baselineProcess.WaitForPortAsync("127.0.0.101", baselinePort, TimeSpan.FromSeconds(60));
var targets = new[]
{
    new Target("chat-server", chatServer.Process.Id, chatServer.WebSocketUri),
    new Target("bare Kestrel (baseline)", baselineProcess.Id, new Uri($"ws://127.0.0.101:{baselinePort}/ws")),
};

foreach (var target in targets) await Measurement.WarmUpAsync(target, sources);
var memory = new Dictionary<Target, (long Idle, long Loaded, RampFigures Ramp)>();
foreach (var target in targets)
{
    AnsiConsole.MarkupLine($"memory: [green]{Markup.Escape(target.Name)}[/] with {connections:N0} idle connections ...");
    memory[target] = await Measurement.MemoryAsync(target, connections, sources);
}
// The machine is shared: the accept rate is the best of several ramps, taken in turns so both servers see the same noise.
var ramps = targets.ToDictionary(t => t, t => new List<RampFigures> { memory[t].Ramp });
for (var round = 1; round <= AcceptRounds; round++)
    foreach (var target in targets)
    {
        AnsiConsole.MarkupLine($"accept rate, round {round}/{AcceptRounds}: [green]{Markup.Escape(target.Name)}[/] ({acceptConnections:N0} connections) ...");
        ramps[target].Add(await Measurement.AcceptRateAsync(target, acceptConnections, sources));
    }

ServerFigures Figures(Target target)
{
    var (idle, loaded, ramp) = memory[target];
    var rates = ramps[target].Select(r => r.AcceptsPerSecond).ToList();
    var best = ramps[target].MaxBy(r => r.AcceptsPerSecond)!;
    return new ServerFigures(target.Name, ramp.Opened, idle, loaded, ramp.Opened > 0 ? (loaded - idle) / ramp.Opened : 0,
        rates.Max(), rates.Order().ElementAt(rates.Count / 2), rates, best.HandshakeP50Ms, best.HandshakeP99Ms,
        ramps[target].Sum(r => r.Failed));
}
var chat = Figures(targets[0]);
var baseline = Figures(targets[1]);

var table = new Table().Border(TableBorder.Rounded).Title("chat server: idle connections and accept rate");
table.AddColumn("server").AddColumn("connections").AddColumn("RSS idle").AddColumn("RSS loaded").AddColumn("bytes/conn")
    .AddColumn("accepts/s best (median)").AddColumn("handshake p50/p99").AddColumn("failed");
foreach (var f in new[] { chat, baseline })
    table.AddRow(Markup.Escape(f.Server), f.Connections.ToString("N0"), Mb(f.IdleResidentBytes), Mb(f.LoadedResidentBytes),
        f.BytesPerIdleConnection.ToString("N0"), $"{f.AcceptsPerSecond:N0} ({f.AcceptsPerSecondMedian:N0})", $"{f.HandshakeP50Ms:F1} / {f.HandshakeP99Ms:F1} ms",
        f.Failed.ToString("N0"));
table.AddRow("[bold]target[/]", "", "", "", $"≤ {MemoryTarget:N0}", $"≥ {AcceptTarget:N0}", "", "");
var memoryOk = chat.BytesPerIdleConnection <= MemoryTarget;
var acceptOk = chat.AcceptsPerSecond >= AcceptTarget;
table.Caption($"memory {(memoryOk ? "meets" : "misses")} target, {Ratio(chat.BytesPerIdleConnection, baseline.BytesPerIdleConnection)} of baseline; " +
              $"accepts {(acceptOk ? "meet" : "miss")} target, {Ratio(chat.AcceptsPerSecond, baseline.AcceptsPerSecond)} of baseline");
AnsiConsole.Write(table);

var result = new
{
    bytesPerIdleConnection = chat.BytesPerIdleConnection,
    acceptsPerSecond = chat.AcceptsPerSecond,
    connections = chat.Connections,
    targets = new { bytesPerIdleConnection = MemoryTarget, acceptsPerSecond = AcceptTarget },
    meetsTargets = new { bytesPerIdleConnection = memoryOk, acceptsPerSecond = acceptOk },
    chatServer = chat,
    baseline,
    ratios = new
    {
        memoryVsBaseline = baseline.BytesPerIdleConnection > 0 ? Math.Round((double)chat.BytesPerIdleConnection / baseline.BytesPerIdleConnection, 3) : 0,
        acceptsVsBaseline = baseline.AcceptsPerSecond > 0 ? Math.Round(chat.AcceptsPerSecond / baseline.AcceptsPerSecond, 3) : 0,
    },
    machine = new { cores = Environment.ProcessorCount, loadAverage = LoadAverage(), note = "client and server share the machine" },
    measuredAt = DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture),
};
Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(outPath))!);
await File.WriteAllTextAsync(outPath, JsonSerializer.Serialize(result, new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true }));
AnsiConsole.MarkupLine($"wrote [blue]{Markup.Escape(outPath)}[/]");
return 0;

string? Option(string name)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}

static string Mb(long bytes) => $"{bytes / 1024.0 / 1024.0:F1} MiB";

static string Ratio(double value, double baseline) => baseline > 0 ? $"{value / baseline:F2}x" : "n/a";

static string LoadAverage()
{
    try
    {
        return File.ReadAllText("/proc/loadavg").Split(' ')[0];
    }
    catch (IOException)
    {
        return "?";
    }
}
