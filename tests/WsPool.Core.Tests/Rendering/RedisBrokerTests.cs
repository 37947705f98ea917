using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using k8s.Models;
using WsPool.Core.Api;
using WsPool.Core.Intent;
using WsPool.Core.Rendering;
using WsPool.Testing;
using Xunit.Abstractions;

namespace WsPool.Core.Tests.Rendering;

/// <summary>
/// The rendered managed broker, run for real: redis-server started with the rendered command and arguments
/// (after the kubelet's $(VAR) expansion), probed with the rendered readiness command, and reached with the URL the
/// backend pods get. Only the listen address and working directory are moved onto this machine.
/// </summary>
public class RedisBrokerTests(ITestOutputHelper output)
{
    private const string Password = "Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MA";

    private static PoolIntent Rendered() => TestPools.Render(
        TestPools.Minimal(p => p.Spec.Broker.Type = BrokerType.Managed),
        new RenderOptions { GeneratedValues = new Dictionary<GeneratedValue, string> { [new("demo-redis", "password")] = Password } });

    [Fact]
    public async Task The_rendered_redis_starts_answers_its_readiness_probe_and_serves_the_backend_url()
    {
        if (!File.Exists("/usr/bin/redis-server") || !File.Exists("/usr/bin/redis-cli"))
        {
            output.WriteLine("redis-server or redis-cli is not installed; skipped");
            return;
        }
        var rendered = Rendered();
        var secrets = rendered.Objects.OfType<V1Secret>().ToList();
        var redis = rendered.Single<V1Deployment>("demo-redis").Container("redis");
        var redisEnv = KubeletEnv.Resolve(redis, secrets, "demo-redis-0");
        var port = FreePort();
        var dataDir = Directory.CreateTempSubdirectory("wspool-redis-").FullName;

        var args = redis.Args.Select(a => KubeletEnv.Expand(a, redisEnv)).ToList();
        args[args.IndexOf("--port") + 1] = port.ToString();
        args[args.IndexOf("--dir") + 1] = dataDir;
        args.AddRange(["--bind", "127.0.0.1"]);

        using var server = Start("/usr/bin/" + redis.Command.Single(), args, new Dictionary<string, string>());
        try
        {
            await WaitForPortAsync(server, port);

            // The readiness probe, exactly as rendered apart from the port.
            var probe = redis.ReadinessProbe.Exec.Command.Select(a => a == BrokerRenderer.RedisPort.ToString() ? port.ToString() : a).ToList();
            var ready = await RunAsync(probe, new Dictionary<string, string> { ["REDISCLI_AUTH"] = redisEnv["REDISCLI_AUTH"] });
            ready.ExitCode.Should().Be(0, $"the probe should pass against a healthy Redis: {ready.Output}");
            var wrong = await RunAsync(probe, new Dictionary<string, string> { ["REDISCLI_AUTH"] = "wrong" });
            wrong.ExitCode.Should().NotBe(0, "the probe must fail when Redis refuses the password");

            // Persistence is off: nothing is ever written to the data directory.
            var config = await RunAsync(["redis-cli", "-e", "-p", port.ToString(), "config", "get", "appendonly"], new Dictionary<string, string> { ["REDISCLI_AUTH"] = Password });
            config.Output.Should().Contain("no");

            // The backend's URL, with the Service name replaced by this machine's address.
            var backend = rendered.Backend().Container("app");
            var backendEnv = KubeletEnv.Resolve(backend, secrets, "demo-abc");
            var url = backendEnv["WSPOOL_REDIS_URL"].Replace("demo-redis.apps.svc:6379", $"127.0.0.1:{port}");
            url.Should().NotContain("$(", "the kubelet expands the password into the URL");
            var ping = await RunAsync(["redis-cli", "--no-auth-warning", "-e", "-u", url, "ping"], new Dictionary<string, string>());
            ping.ExitCode.Should().Be(0, ping.Output);
            ping.Output.Should().Contain("PONG");
        }
        finally
        {
            if (!server.HasExited)
                server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token);
            Directory.Delete(dataDir, recursive: true);
        }
        Directory.Exists(dataDir).Should().BeFalse();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static Process Start(string file, IEnumerable<string> args, IReadOnlyDictionary<string, string> env)
    {
        var info = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
            info.ArgumentList.Add(a);
        foreach (var (k, v) in env)
            info.Environment[k] = v;
        var process = Process.Start(info)!;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static Task WaitForPortAsync(Process server, int port) =>
        Eventually.ValueAsync(async () =>
        {
            server.HasExited.Should().BeFalse("redis-server should accept the rendered arguments");
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return null;
            }
            catch (SocketException e)
            {
                return e.Message;
            }
        }, (string? refused) => refused is null, $"redis-server to listen on {port}", TimeSpan.FromSeconds(20));

    private static async Task<(int ExitCode, string Output)> RunAsync(IReadOnlyList<string> command, IReadOnlyDictionary<string, string> env)
    {
        var info = new ProcessStartInfo(command[0]) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in command.Skip(1))
            info.ArgumentList.Add(a);
        info.Environment.Remove("REDISCLI_AUTH");
        foreach (var (k, v) in env)
            info.Environment[k] = v;
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{string.Join(' ', command)} did not finish");
        }
        return (process.ExitCode, await stdout + await stderr);
    }
}
