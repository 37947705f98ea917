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

ServerFigures chat;
await using (var server = await ChatServerProcess.StartAsync(new ChatServerOptions { Address = "127.0.0.100", ReplicaName = "bench" }))
{
    AnsiConsole.MarkupLine("measuring [green]chat-server[/] ...");
    chat = await Measurement.MeasureAsync("chat-server", server.Process.Id, server.WebSocketUri, connections, sources);
}

ServerFigures baseline;
{
    var port = FreePort.Next(IPAddress.Parse("127.0.0.101"));
    var benchDll = typeof(BaselineServer).Assembly.Location;
    await using var process = ManagedProcess.Start(ChatServerProcess.DotnetHost(),
        [benchDll, "--serve-baseline", "--urls", $"http://127.0.0.101:{port}"]);
    await process.WaitForPortAsync("127.0.0.101", port, TimeSpan.FromSeconds(60));
    AnsiConsole.MarkupLine("measuring [green]bare Kestrel baseline[/] ...");
    baseline = await Measurement.MeasureAsync("bare Kestrel (baseline)", process.Id, new Uri($"ws://127.0.0.101:{port}/ws"), connections, sources);
}

var table = new Table().Border(TableBorder.Rounded).Title("chat server: idle connections and accept rate");
table.AddColumn("server").AddColumn("connections").AddColumn("RSS idle").AddColumn("RSS loaded").AddColumn("bytes/conn")
    .AddColumn("accepts/s").AddColumn("handshake p50/p99").AddColumn("failed");
foreach (var f in new[] { chat, baseline })
    table.AddRow(Markup.Escape(f.Server), f.Connections.ToString("N0"), Mb(f.IdleResidentBytes), Mb(f.LoadedResidentBytes),
        f.BytesPerIdleConnection.ToString("N0"), f.AcceptsPerSecond.ToString("N0"), $"{f.HandshakeP50Ms:F1} / {f.HandshakeP99Ms:F1} ms",
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
