// bench-balancer: the generated HAProxy config against the source document's sample config (roundrobin,
// option http-server-close, timeout server 1h, static servers), same chat-server backends on 127.0.0.2-4, one run.
// Reports connections held, echo latency p50/p99 and overhead over a direct connection, evenness (max/min per
// backend) 30 s after a backend is added, and connections dropped while scaling out. Table on stdout, JSON to --out.
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using WsPool.Core.Api;
using WsPool.Core.Balancers;
using WsPool.Core.Rendering;
using WsPool.Testing;

var outPath = ArgValue("--out") ?? "out/bench/balancer.json";
var connections = int.Parse(ArgValue("--connections") ?? "2000", CultureInfo.InvariantCulture);
var settle = TimeSpan.FromSeconds(double.Parse(ArgValue("--settle-seconds") ?? "30", CultureInfo.InvariantCulture));

var work = Directory.CreateTempSubdirectory("wspool-bench-balancer-").FullName;
var port = FreePort.NextOnAll(Enumerable.Range(2, 4).Select(i => IPAddress.Parse($"127.0.0.{i}")));
var results = new List<Dictionary<string, object>>();
try
{
    await using var direct = await StartBackend("127.0.0.9", FreePort.Next(IPAddress.Parse("127.0.0.9")));
    var directLatency = await EchoLatencies(new Uri($"ws://127.0.0.9:{direct.Port}/ws"));
    Console.WriteLine($"direct p50 {Percentile(directLatency, 50):F3} ms, p99 {Percentile(directLatency, 99):F3} ms");
    foreach (var config in new[] { "generated", "seed-sample" })
        results.Add(await Run(config, directLatency));
}
finally
{
    Directory.Delete(work, recursive: true);
}

Console.WriteLine();
Console.WriteLine($"{"config",-12} {"held",8} {"p50 ms",8} {"p99 ms",8} {"p99 +ms",8} {"max/min",8} {"dropped",8}");
foreach (var r in results)
    Console.WriteLine($"{r["config"],-12} {r["connectionsHeld"],8} {r["p50Ms"],8:F3} {r["p99Ms"],8:F3} {r["p99OverheadMs"],8:F3} {r["evennessAfterScaleOut"],8:F2} {r["droppedOnScaleOut"],8}");
Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(outPath))!);
File.WriteAllText(outPath, JsonSerializer.Serialize(results, new JsonSerializerOptions { WriteIndented = true }));
Console.WriteLine($"wrote {outPath}");
return 0;

async Task<Dictionary<string, object>> Run(string config, List<double> directLatency)
{
    var backends = new List<ChatServerProcess>();
    var held = new List<(WebSocketTestClient Client, string Replica)>();
    ManagedProcess? dns = null;
    ManagedProcess? haproxy = null;
    try
    {
        foreach (var i in new[] { 2, 3, 4 }) backends.Add(await StartBackend($"127.0.0.{i}", port));
        var fqdn = "bench-headless.bench.svc.cluster.local";
        var hosts = Path.Combine(work, $"{config}.hosts");
        File.WriteAllLines(hosts, backends.Select(b => $"{b.Address} {fqdn}"));
        var dnsPort = FreePort.Next();
        dns = ManagedProcess.Start(Tools.Path(Tools.Dnsmasq), ["--no-daemon", $"--port={dnsPort}", "--listen-address=127.0.0.1", "--bind-interfaces",
            "--no-resolv", "--no-hosts", $"--addn-hosts={hosts}", "--user=root", $"--pid-file={Path.Combine(work, config + ".dnsmasq.pid")}"]);
        await dns.WaitForPortAsync("127.0.0.1", dnsPort);

        var listen = FreePort.Next();
        var cfg = Path.Combine(work, $"{config}.cfg");
        File.WriteAllText(cfg, config == "generated" ? Generated(listen, dnsPort) : Seed(listen, backends.Select(b => b.Address)));
        haproxy = ManagedProcess.Start(Tools.Path(Tools.HAProxy), ["-W", "-db", "-f", cfg],
            new Dictionary<string, string> { [HAProxyConfigBuilder.CookieKeyVariable] = "bench" });
        await haproxy.WaitForPortAsync("127.0.0.1", listen);
        var uri = new Uri($"ws://127.0.0.1:{listen}/ws");
        await WaitUntil(async () => (await ConnectedReplicas(uri, 9)).Count == 3, TimeSpan.FromSeconds(30));
        if (config == "generated") await Task.Delay(TimeSpan.FromSeconds(11)); // slowstart of servers that just came up

        held.AddRange(await OpenMany(uri, connections));
        var latency = await EchoLatencies(uri);

        // Scale out: a fourth pod. The generated config finds it in DNS; the sample config needs an edit and a reload.
        var added = await StartBackend("127.0.0.5", port);
        backends.Add(added);
        if (config == "generated")
        {
            File.AppendAllLines(hosts, [$"{added.Address} {fqdn}"]);
            dns.Signal(1);
        }
        else
        {
            File.WriteAllText(cfg, Seed(listen, backends.Select(b => b.Address)));
            haproxy.Signal(12); // SIGUSR2: master-worker reload
        }
        await Task.Delay(TimeSpan.FromSeconds(3));
        held.AddRange(await OpenMany(uri, connections / 4));
        await Task.Delay(settle);
        var dropped = held.Count(h => h.Client.Closed.IsCompleted);
        var perBackend = backends.ToDictionary(b => b.Address, b => held.Count(h => h.Replica == b.Address && !h.Client.Closed.IsCompleted));
        var evenness = perBackend.Values.Min() == 0 ? double.PositiveInfinity : (double)perBackend.Values.Max() / perBackend.Values.Min();
        Console.WriteLine($"{config}: per backend after scale-out {string.Join(", ", perBackend.Select(p => $"{p.Key}={p.Value}"))}");
        return new Dictionary<string, object>
        {
            ["config"] = config,
            ["connectionsHeld"] = held.Count - dropped,
            ["p50Ms"] = Math.Round(Percentile(latency, 50), 3),
            ["p99Ms"] = Math.Round(Percentile(latency, 99), 3),
            ["p99OverheadMs"] = Math.Round(Percentile(latency, 99) - Percentile(directLatency, 99), 3),
            ["evennessAfterScaleOut"] = double.IsInfinity(evenness) ? -1 : Math.Round(evenness, 2),
            ["droppedOnScaleOut"] = dropped,
        };
    }
    finally
    {
        foreach (var (client, _) in held) await client.DisposeAsync();
        if (haproxy is not null) await haproxy.DisposeAsync();
        if (dns is not null) await dns.DisposeAsync();
        foreach (var backend in backends) await backend.DisposeAsync();
    }
}

string Generated(int listen, int dnsPort)
{
    var pool = new WebSocketPool { Metadata = new() { Name = "bench", NamespaceProperty = "bench" } };
    pool.Spec.Port = port;
    pool.Spec.MaxReplicas = 8;
    pool.Spec.Connections = new ConnectionsSpec { Target = 2000, Limit = 4000 };
    var text = BalancerKinds.Render(pool, new RenderOptions { ResolverAddress = $"127.0.0.1:{dnsPort}" }).ConfigFiles[BalancerPaths.HAProxyConfigFile];
    // The same local rewrite as the tests' LocalRun: directories and listen ports only.
    return text.Replace(BalancerPaths.HAProxyRunDir + "/", work + "/")
        .Replace("    bind :8080", $"    bind 127.0.0.1:{listen}")
        .Replace("    bind :8404", $"    bind 127.0.0.1:{FreePort.Next()}");
}

// The source document's sample, verbatim but for the listen address and the servers (ours, all of them).
string Seed(int listen, IEnumerable<string> servers) =>
    $"""
    frontend ws
    bind 127.0.0.1:{listen}
    mode http
    option httplog
    acl is_websocket hdr(Upgrade) -i WebSocket
    use_backend websocket if is_websocket
    backend websocket
    mode http
    option http-server-close
    timeout server 1h
    balance roundrobin
    {string.Join("\n", servers.Select((s, i) => $"server ws{i + 1} {s}:{port} check"))}

    """;

async Task<ChatServerProcess> StartBackend(string address, int p) => await ChatServerProcess.StartAsync(new ChatServerOptions
{
    Address = address, Port = p, ReplicaName = address,
    KeepAliveInterval = TimeSpan.FromMinutes(30), KeepAliveTimeout = TimeSpan.FromMinutes(30),
});

async Task<List<(WebSocketTestClient, string)>> OpenMany(Uri uri, int count)
{
    var opened = new List<(WebSocketTestClient, string)>();
    using var gate = new SemaphoreSlim(32);
    var tasks = Enumerable.Range(0, count).Select(async _ =>
    {
        await gate.WaitAsync();
        try
        {
            var client = await WebSocketTestClient.ConnectAsync(uri, TimeSpan.FromSeconds(30));
            var replica = (await client.WhoAmIAsync(TimeSpan.FromSeconds(30))).GetProperty("replica").GetString()!;
            lock (opened) opened.Add((client, replica));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // counted as not held
        }
        finally
        {
            gate.Release();
        }
    });
    await Task.WhenAll(tasks);
    return opened;
}

async Task<HashSet<string>> ConnectedReplicas(Uri uri, int tries)
{
    var seen = new HashSet<string>();
    foreach (var (client, replica) in await OpenMany(uri, tries))
    {
        seen.Add(replica);
        await client.DisposeAsync();
    }
    return seen;
}

async Task<List<double>> EchoLatencies(Uri uri)
{
    var latencies = new List<double>();
    for (var c = 0; c < 5; c++)
    {
        await using var client = await WebSocketTestClient.ConnectAsync(uri, TimeSpan.FromSeconds(30));
        for (var i = 0; i < 100; i++)
        {
            var start = Stopwatch.GetTimestamp();
            await client.SendAsync($"/echo {i}");
            await client.WaitForMessageAsync(m => m == $"/echo {i}", TimeSpan.FromSeconds(30));
            latencies.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }
    }
    return latencies;
}

static double Percentile(List<double> values, double p)
{
    var sorted = values.Order().ToList();
    return sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Count) - 1, 0, sorted.Count - 1)];
}

static async Task WaitUntil(Func<Task<bool>> condition, TimeSpan timeout)
{
    var deadline = DateTime.UtcNow + timeout;
    while (!await condition())
    {
        if (DateTime.UtcNow > deadline) throw new TimeoutException("the balancer never reached every backend");
        await Task.Delay(200);
    }
}

string? ArgValue(string name)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}
