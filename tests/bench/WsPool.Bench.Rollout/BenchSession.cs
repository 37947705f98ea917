using System.Diagnostics;
using WsPool.Core.Api;
using WsPool.Core.Loading;
using WsPool.Load;
using WsPool.Local.Session;
using WsPool.Local.View;

namespace WsPool.Bench.Rollout;

/// <summary>A bench scenario could not run (tools missing, ports taken, a timeout): the bench stops and says why.</summary>
public sealed class ScenarioFailed(string message) : Exception(message);

/// <summary>
/// One local-mode session for one scenario: the embedded API, the real operator, pods as processes, dnsmasq and the
/// real HAProxy, with the pool applied; stopped (every process it started) on dispose.
/// </summary>
public sealed class BenchSession : IAsyncDisposable
{
    private readonly DirectoryInfo _state;

    private BenchSession(LocalSession session, DirectoryInfo state)
    {
        Session = session;
        _state = state;
        Pool = session.Pools[0];
        Reader = new SnapshotReader(session, Pool);
    }

    public LocalSession Session { get; }
    public WebSocketPool Pool { get; }
    public SnapshotReader Reader { get; }

    public static async Task<BenchSession> StartAsync(string scenario, string poolYaml, CancellationToken cancellationToken)
    {
        var file = PoolFileChecker.Check(poolYaml, $"{scenario}.yaml");
        if (!file.IsValid) throw new ScenarioFailed($"{scenario}: the bench's pool is invalid: {string.Join("; ", file.Problems)}");
        // A short path: the balancer's admin socket lives below it, and a Unix socket address holds 107 bytes.
        var state = Directory.CreateTempSubdirectory("wsb-");
        var options = new LocalOptions { PoolFile = $"{scenario}.yaml", StateDirectory = state.FullName };
        var pools = file.Pools.Select(p => p.Pool).ToList();
        var problems = Preflight.Check(pools, options);
        if (problems.Count > 0)
        {
            state.Delete(recursive: true);
            throw new ScenarioFailed($"{scenario}: local mode cannot start: {string.Join("; ", problems)}");
        }
        try
        {
            return new BenchSession(await LocalSession.StartAsync(options, pools, cancellationToken), state);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            state.Delete(recursive: true);
            throw new ScenarioFailed($"{scenario}: local mode failed to start: {e.Message}");
        }
    }

    /// <summary>Waits for <paramref name="pods"/> serving backend pods and the balancer's URL, then HAProxy's slowstart.</summary>
    public async Task<Uri> WaitReadyAsync(int pods, CancellationToken cancellationToken)
    {
        var ready = await UntilAsync(s => s.ServingPods == pods && s.Pods.Count == pods && s.Pool.Url.StartsWith("ws://", StringComparison.Ordinal),
            TimeSpan.FromMinutes(3), $"{pods} serving backend pods and the balancer's URL", cancellationToken);
        // Servers that just came up are in HAProxy's slowstart (10s): leastconn would not yet spread evenly over them.
        await Task.Delay(TimeSpan.FromSeconds(11), cancellationToken);
        return new Uri(ready.Pool.Url);
    }

    public async Task<LocalSnapshot> UntilAsync(Func<LocalSnapshot, bool> condition, TimeSpan timeout, string what,
        CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        LocalSnapshot? last = null;
        while (clock.Elapsed < timeout)
        {
            last = await Reader.ReadAsync(cancellationToken);
            if (condition(last)) return last;
            await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken);
        }
        throw new ScenarioFailed($"timed out after {timeout.TotalSeconds:0}s waiting for {what}; last seen: {(last is null ? "nothing" : LiveView.Line(last))}");
    }

    /// <summary>The clients of every scenario: cookies kept per connection, reconnecting, a low echo rate, details kept.</summary>
    public static LoadOptions Clients(Uri url, int connections) => new()
    {
        Url = url,
        Connections = connections,
        ConnectRate = 200,
        Hold = null,
        Reconnect = true,
        Cookies = CookieMode.PerConnection,
        KeepDetails = true,
        MessageRate = 0.2,
        MessageKind = MessageKind.Echo,
        WhoAmI = true,
    };

    /// <summary>Starts the clients and waits until all are open, or fails saying what they saw.</summary>
    public static async Task<LoadRun> ConnectAsync(Uri url, int connections)
    {
        var run = LoadRunner.Start(Clients(url, connections));
        try
        {
            await run.WaitForAsync(s => s.RampDone && s.Open == connections, TimeSpan.FromSeconds(90));
            return run;
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException)
        {
            var summary = await run.StopAsync();
            await run.DisposeAsync();
            throw new ScenarioFailed($"the clients did not all connect ({e.Message}); failed: {string.Join(", ", summary.Failed)}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Session.DisposeAsync();
        try { _state.Delete(recursive: true); }
        catch (IOException) { }
    }
}
