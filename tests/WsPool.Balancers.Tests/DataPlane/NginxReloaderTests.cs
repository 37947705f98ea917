using k8s.Models;
using WsPool.Balancers.Tests.Support;
using WsPool.Core.Api;
using WsPool.Core.Balancers;
using WsPool.Core.Rendering;
using WsPool.Testing;

namespace WsPool.Balancers.Tests.DataPlane;

/// <summary>
/// The reloader sidecar's script, exactly as rendered into the balancer ConfigMap, run by /bin/sh next to a real
/// NGINX running the rendered config. The only difference from the pod: its nginx binary and config path are given by
/// the script's environment variables (the in-pod defaults are the image's nginx and the ConfigMap mount).
/// </summary>
[Collection("DataPlane")]
public sealed class NginxReloaderTests(PodsFixture pods) : IAsyncLifetime
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);
    private BalancerProcess? _nginx;
    private ManagedProcess? _reloader;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_reloader is not null) await _reloader.DisposeAsync();
        if (_nginx is not null) await _nginx.DisposeAsync();
        await pods.ResetAsync();
    }

    /// <param name="beforeReloader">Runs after NGINX started and before the reloader does (the two containers' start gap).</param>
    private async Task<BalancerProcess> StartAsync(IReadOnlyList<string> backends, Action<BalancerProcess>? beforeReloader = null)
    {
        var pool = Repo.Pool(s =>
        {
            s.Port = pods.Backends.Port;
            s.Balancer.Type = BalancerType.Nginx;
        });
        _nginx = await BalancerProcess.StartNginxAsync(pool, backends);
        beforeReloader?.Invoke(_nginx);
        var configMap = BalancerKinds.Render(pool, new RenderOptions()).Objects.OfType<V1ConfigMap>().Single();
        var script = _nginx.Run.WriteFile(NginxReloader.ScriptFile, configMap.Data[NginxReloader.ScriptFile]);
        _reloader = ManagedProcess.Start("/bin/sh", [script], new Dictionary<string, string>
        {
            [NginxReloader.NginxVariable] = Checkers.Nginx,
            [NginxReloader.ConfigVariable] = _nginx.ConfigFile,
            [NginxReloader.IntervalVariable] = "1",
        });
        await WaitForOutputAsync(Reloaded, 1);
        return _nginx;
    }

    private const string Reloaded = "wspool-reloader: reloaded";
    private const string Rejected = "fails nginx -t";

    private int Count(string text) => Count(text, _reloader!.Output);

    private static int Count(string text, string output) => output.Split('\n').Count(l => l.Contains(text, StringComparison.Ordinal));

    /// <summary>Waits (bounded) until the reloader has said <paramref name="text"/> at least <paramref name="times"/> times.</summary>
    private Task WaitForOutputAsync(string text, int times) =>
        Eventually.ValueAsync(() =>
            {
                var exited = _reloader!.HasExited;
                var output = _reloader.Output;
                return exited && Count(text, output) < times
                    ? throw new InvalidOperationException($"the reloader exited with {_reloader.ExitCode}:\n{output}")
                    : output;
            },
            output => Count(text, output) >= times, $"the reloader to say '{text}' {times} times", Bound,
            output => $"reloader:\n{output}\nnginx:\n{_nginx!.Process.Output}", TimeSpan.FromMilliseconds(100));

    [Fact]
    public async Task A_changed_config_is_reloaded_in_place_open_websockets_keep_echoing_and_new_ones_reach_the_added_pod()
    {
        var nginx = await StartAsync(pods.Backends.Endpoints.Take(2).ToList());
        var master = nginx.Process.Id;
        var third = pods.Backends.Servers[2].Address;
        var held = new List<(WebSocketTestClient Client, string Replica)>();
        try
        {
            var (open, openReplica) = await Clients.ConnectAsync(nginx.WebSocketUri);
            held.Add((open, openReplica));

            nginx.ReplaceNginxConfig(pods.Backends.Endpoints.ToList());
            await WaitForOutputAsync(Reloaded, 2);

            // After the reload new WebSockets reach the added pod.
            await Clients.ConnectUntilAsync(nginx.WebSocketUri, third, held, Bound);
            await open.SendAsync("/echo still here");
            (await open.NextMessageAsync()).Should().Be("/echo still here", "a HUP keeps the open WebSocket on its old worker");
            (await open.WhoAmIAsync()).GetProperty("replica").GetString().Should().Be(openReplica);
            nginx.Process.HasExited.Should().BeFalse();
            nginx.Process.Id.Should().Be(master, "a reload is a signal to the same master, not a restart");
        }
        finally
        {
            foreach (var (client, _) in held) await client.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_config_that_fails_nginx_t_is_not_reloaded_and_the_running_config_keeps_serving()
    {
        var all = pods.Backends.Endpoints.ToList();
        var nginx = await StartAsync(all);
        var held = new List<(WebSocketTestClient Client, string Replica)>();
        try
        {
            // Only the first pod, plus a directive NGINX does not know: were it loaded, every connection would go
            // to the first pod.
            nginx.ReplaceNginxConfig(all.Take(1).ToList(), text => text.Replace("worker_processes auto;", "worker_processes auto;\nno_such_directive on;"));
            await WaitForOutputAsync(Rejected, 1);

            var others = pods.Backends.Servers.Skip(1).Select(s => s.Address).ToList();
            var reachedAnother = false;
            for (var i = 0; i < 30 && !reachedAnother; i++)
            {
                var connection = await Clients.ConnectAsync(nginx.WebSocketUri);
                held.Add(connection);
                reachedAnother = others.Contains(connection.Replica);
            }
            reachedAnother.Should().BeTrue("the broken config was not loaded, so the old upstream (all pods) still serves");
            Count(Reloaded).Should().Be(1, "only the reloader's first look reloaded; the broken config never was");
            nginx.Process.HasExited.Should().BeFalse();
        }
        finally
        {
            foreach (var (client, _) in held) await client.DisposeAsync();
        }
    }

    [Fact]
    public async Task After_a_rejected_config_the_next_good_one_is_reloaded()
    {
        var nginx = await StartAsync(pods.Backends.Endpoints.Take(2).ToList());
        var third = pods.Backends.Servers[2].Address;
        var held = new List<(WebSocketTestClient Client, string Replica)>();
        try
        {
            nginx.ReplaceNginxConfig(pods.Backends.Endpoints.Take(1).ToList(), text => text + "\nno_such_directive on;\n");
            await WaitForOutputAsync(Rejected, 1);
            nginx.ReplaceNginxConfig(pods.Backends.Endpoints.ToList());
            await WaitForOutputAsync(Reloaded, 2);

            await Clients.ConnectUntilAsync(nginx.WebSocketUri, third, held, Bound);
        }
        finally
        {
            foreach (var (client, _) in held) await client.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_config_that_changed_before_the_reloader_first_looked_is_loaded_too()
    {
        var third = pods.Backends.Servers[2].Address;
        var nginx = await StartAsync(pods.Backends.Endpoints.Take(2).ToList(),
            beforeReloader: n => n.ReplaceNginxConfig(pods.Backends.Endpoints.ToList()));
        var held = new List<(WebSocketTestClient Client, string Replica)>();
        try
        {
            // The reloader's first look reloads whatever the file holds.
            await Clients.ConnectUntilAsync(nginx.WebSocketUri, third, held, Bound);
        }
        finally
        {
            foreach (var (client, _) in held) await client.DisposeAsync();
        }
    }
}
