using System.Net.Sockets;
using System.Text;
using WsPool.Balancers.Tests.Support;
using WsPool.Core.Api;
using WsPool.Core.Balancers;
using WsPool.Core.Rendering;
using WsPool.Core.Validation;
using WsPool.Testing;

namespace WsPool.Balancers.Tests.DataPlane;

/// <summary>
/// A real HAProxy or NGINX running the config wspool renders for a pool. The only differences from the cluster are
/// the render options (HAProxy: the resolver address; NGINX: the backends) and the documented LocalRun rewrite of
/// directories and listen ports.
/// </summary>
public sealed class BalancerProcess : IAsyncDisposable
{
    private readonly LocalRun _run = new();
    private readonly WebSocketPool _pool;
    private ManagedProcess? _process;
    private string _configFile = "";

    private BalancerProcess(WebSocketPool pool) => _pool = pool;

    public ManagedProcess Process => _process!;
    public WebSocketPool Pool => _pool;
    public LocalRun Run => _run;
    public string Config { get; private set; } = "";
    public Uri WebSocketUri => new($"ws://127.0.0.1:{_run.HttpPort}{_pool.Spec.Path}");
    public Uri HttpUri => new($"http://127.0.0.1:{_run.HttpPort}/");

    public static async Task<BalancerProcess> StartHAProxyAsync(WebSocketPool pool, string resolverAddress)
    {
        PoolValidator.Validate(pool).Should().BeEmpty();
        var balancer = new BalancerProcess(pool);
        try
        {
            var rendered = BalancerKinds.Render(pool, new RenderOptions { ResolverAddress = resolverAddress });
            balancer.Config = balancer._run.ForHAProxy(rendered.ConfigFiles[BalancerPaths.HAProxyConfigFile]);
            balancer._configFile = balancer._run.WriteFile("haproxy.cfg", balancer.Config);
            balancer._process = ManagedProcess.Start(Checkers.HAProxy, ["-W", "-db", "-f", balancer._configFile], balancer._run.HAProxyEnvironment);
            await balancer._process.WaitForPortAsync("127.0.0.1", balancer._run.HttpPort);
            return balancer;
        }
        catch
        {
            await balancer.DisposeAsync();
            throw;
        }
    }

    public static async Task<BalancerProcess> StartNginxAsync(WebSocketPool pool, IReadOnlyList<string> backends)
    {
        PoolValidator.Validate(pool).Should().BeEmpty();
        var balancer = new BalancerProcess(pool);
        try
        {
            balancer.WriteNginxConfig(backends);
            balancer._process = ManagedProcess.Start(Checkers.Nginx,
                ["-p", balancer._run.Root + "/", "-e", "stderr", "-c", balancer._configFile, "-g", "daemon off;"]);
            await balancer._process.WaitForPortAsync("127.0.0.1", balancer._run.HttpPort);
            return balancer;
        }
        catch
        {
            await balancer.DisposeAsync();
            throw;
        }
    }

    /// <summary>What the operator does when the ready pods change: re-render with the new endpoints and HUP.</summary>
    public void ReloadNginx(IReadOnlyList<string> backends)
    {
        WriteNginxConfig(backends);
        _process!.Signal(1);
    }

    /// <summary>The nginx.conf the running NGINX was started with (-c), as the reloader sidecar sees its mount.</summary>
    public string ConfigFile => _configFile;

    /// <summary>
    /// What kubelet does when the operator updates the ConfigMap: the file is replaced at once (kubelet swaps a
    /// symlink; here a rename), never written in place. <paramref name="edit"/> changes the text further (a test's
    /// broken config). No signal is sent: reloading is the reloader's job.
    /// </summary>
    public void ReplaceNginxConfig(IReadOnlyList<string> backends, Func<string, string>? edit = null)
    {
        var text = Render(backends);
        if (edit is not null) text = edit(text);
        var next = _configFile + ".next";
        File.WriteAllText(next, text);
        File.Move(next, _configFile, overwrite: true);
        Config = text;
    }

    private void WriteNginxConfig(IReadOnlyList<string> backends)
    {
        Config = Render(backends);
        _configFile = _run.WriteFile("nginx.conf", Config);
    }

    private string Render(IReadOnlyList<string> backends) =>
        _run.ForNginx(BalancerKinds.Render(_pool, new RenderOptions { Backends = backends }).ConfigFiles[BalancerPaths.NginxConfigFile]);

    /// <summary>Sends a command to HAProxy's runtime API (the stats socket of the rendered config).</summary>
    public async Task<string> RuntimeAsync(string command)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(_run.StatsSocket), cts.Token);
        await socket.SendAsync(Encoding.ASCII.GetBytes(command + "\n"), cts.Token);
        var answer = new StringBuilder();
        var buffer = new byte[16384];
        int read;
        while ((read = await socket.ReceiveAsync(buffer, cts.Token)) > 0) answer.Append(Encoding.ASCII.GetString(buffer, 0, read));
        return answer.ToString();
    }

    /// <summary>The pool backend's servers as HAProxy sees them: slot name, address, status (UP, DOWN, MAINT, ...).</summary>
    public async Task<IReadOnlyList<(string Slot, string Address, string Status, string Throttle)>> ServersAsync()
    {
        var csv = (await RuntimeAsync("show stat")).Split('\n');
        var header = csv[0].TrimStart('#', ' ').Split(',');
        int Column(string name) => Array.IndexOf(header, name);
        return csv.Skip(1).Select(l => l.Split(','))
            .Where(f => f.Length > 3 && f[0] == HAProxyConfigBuilder.BackendName && f[1] is not ("BACKEND" or "FRONTEND"))
            .Select(f => (f[1], f[Column("addr")], f[Column("status")], f[Column("throttle")]))
            .ToList();
    }

    /// <summary>Waits (bounded) until exactly these addresses are UP in the pool backend.</summary>
    public Task WaitForUpServersAsync(IEnumerable<string> addresses, TimeSpan? timeout = null)
    {
        var expected = addresses.Order().ToList();
        string? refused = null;
        // A busy machine can find the runtime socket's backlog full while HAProxy starts (connect fails with EAGAIN,
        // which .NET reports as "Cannot assign requested address"): that is "not yet", not a failure.
        async Task<IReadOnlyList<(string Slot, string Address, string Status, string Throttle)>> Read()
        {
            try
            {
                refused = null;
                return await ServersAsync();
            }
            catch (SocketException e)
            {
                refused = e.Message;
                return [];
            }
        }
        return Eventually.ValueAsync(Read,
            servers => servers.Where(s => s.Status.StartsWith("UP")).Select(s => s.Address.Split(':')[0]).Order().SequenceEqual(expected),
            $"exactly [{string.Join(", ", expected)}] UP", timeout,
            servers => (refused is null ? "" : $"runtime API: {refused}; ") +
                string.Join(", ", servers.Select(s => $"{s.Slot} {s.Address} {s.Status}")) + $"\n{Process.Output}");
    }

    /// <summary>Waits (bounded) until no server is ramping up under slowstart any more (the throttle column is empty).</summary>
    public Task WaitForSlowStartToEndAsync(TimeSpan? timeout = null) =>
        Eventually.ValueAsync(ServersAsync, servers => servers.All(s => s.Throttle is "" or "100"), "slowstart to end on every server",
            timeout, servers => string.Join(", ", servers.Select(s => $"{s.Slot} {s.Address} {s.Status} throttle {s.Throttle}")),
            TimeSpan.FromMilliseconds(200));

    public async ValueTask DisposeAsync()
    {
        if (_process is not null) await _process.DisposeAsync();
        _run.Dispose();
    }
}
