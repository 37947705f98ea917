using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using k8s;
using k8s.Models;
using WsPool.Core.Balancers;
using WsPool.Core.Rendering;
using WsPool.Local.Node;
using WsPool.Local.Tests.Support;
using Xunit.Abstractions;

namespace WsPool.Local.Tests.Node;

/// <summary>
/// The pods the operator renders for the examples (managed HAProxy, managed NGINX with its reloader sidecar, the
/// Redis broker) run on the node as rendered: their ConfigMaps become files, their listeners bind the pod's address,
/// their probes pass, and a config change reloads a balancer in place exactly once.
/// </summary>
public sealed class RenderedPodTests(ITestOutputHelper output)
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    private static int Count(string text, string pattern) => Regex.Matches(text, pattern).Count;

    private static string Log(LocalContainerSnapshot container) => File.Exists(container.LogFile) ? File.ReadAllText(container.LogFile) : "";

    [Fact]
    public async Task A_managed_haproxy_runs_from_its_config_map_and_a_config_change_reloads_it_once_while_an_unchanged_config_reloads_nothing()
    {
        await using var node = await NodeHarness.StartAsync(output);
        // Without TLS (no certificate to make); a resolver nobody answers, so nothing asks the machine's DNS for cluster names.
        var resolver = new RenderOptions { ResolverAddress = $"127.0.0.1:{FreePort.Next()}" };
        var chat = RenderedPool.Load("chat.yaml", pool => pool.Spec.Balancer.Tls = null, resolver);
        await chat.CreateConfigAsync(node);
        var balancer = chat.Names.Balancer;
        await node.CreatePodAsync(chat.PodOf(balancer));

        var pod = await node.WaitForPodAsync($"{balancer}-0", NodeHarness.IsReady, "Running and Ready (/healthz on the observe port)", chat.Names.Namespace);
        var ip = pod.Status.PodIP;
        var snapshot = node.Node.Pod(chat.Names.Namespace, $"{balancer}-0")!;
        var haproxy = snapshot.Containers.Single();
        haproxy.Kind.Should().Be(ContainerKind.HAProxy);
        var running = File.ReadAllText(Path.Combine(snapshot.Directory, "containers", "haproxy", BalancerPaths.HAProxyConfigFile));
        running.Should().Contain($"bind {ip}:{BalancerPorts.Http}").And.Contain($"bind {ip}:{BalancerPorts.Observability}")
            .And.Contain($"stats socket {snapshot.Directory}/volumes/run/admin.sock").And.NotContain("bind :");
        using (var response = await Http.GetAsync($"http://{ip}:{BalancerPorts.Http}{chat.Pool.Spec.Path}"))
            ((int)response.StatusCode).Should().Be(503, "HAProxy answers on the pod's address, and has no backend pod yet");
        snapshot.Reloads.Should().Be(0);

        // Not a change to the config: a label and another key. The node syncs the volume and reloads nothing.
        var configMap = await node.Client.CoreV1.ReadNamespacedConfigMapAsync(balancer, chat.Names.Namespace);
        configMap.Metadata.Labels["example.com/touched"] = "yes";
        configMap.Data["notes.txt"] = "not read by HAProxy";
        await node.Client.CoreV1.ReplaceNamespacedConfigMapAsync(configMap, balancer, chat.Names.Namespace);
        await Eventually.TrueAsync(() => File.Exists(Path.Combine(snapshot.Directory, "volumes", "config", "notes.txt")),
            "the node to project the new key into the volume");

        // A change: the operator re-renders with another tunnel timeout.
        chat.Rerender(pool => pool.Spec.Timeouts.Tunnel = "2h", resolver);
        configMap = await node.Client.CoreV1.ReadNamespacedConfigMapAsync(balancer, chat.Names.Namespace);
        configMap.Data[BalancerPaths.HAProxyConfigFile] = chat.Object<V1ConfigMap>(balancer).Data[BalancerPaths.HAProxyConfigFile];
        await node.Client.CoreV1.ReplaceNamespacedConfigMapAsync(configMap, balancer, chat.Names.Namespace);

        var reloaded = await node.WaitForSnapshotAsync($"{balancer}-0", s => s?.Reloads >= 1, "one reload", chat.Names.Namespace);
        reloaded!.Reloads.Should().Be(1, "one change, one reload; the unchanged config reloaded nothing");
        reloaded.Containers.Single().Pid.Should().Be(haproxy.Pid, "a reload keeps the master process (and its WebSockets)");
        File.ReadAllText(Path.Combine(snapshot.Directory, "containers", "haproxy", BalancerPaths.HAProxyConfigFile)).Should().Contain("timeout tunnel 2h");
        var log = await Eventually.ValueAsync(() => Log(haproxy), text => Count(text, "Loading success") >= 2,
            "HAProxy to load the new config");
        Count(log, "Reloading HAProxy").Should().Be(1);
    }

    [Fact]
    public async Task A_managed_nginx_runs_without_its_reloader_sidecar_and_the_node_reloads_it_once_per_config_change()
    {
        await using var node = await NodeHarness.StartAsync(output);
        var ticker = RenderedPool.Load("ticker.yaml", options: new RenderOptions { Backends = ["127.0.0.250:9000"] });
        await ticker.CreateConfigAsync(node);
        var balancer = ticker.Names.Balancer;
        await node.CreatePodAsync(ticker.PodOf(balancer));

        var pod = await node.WaitForPodAsync($"{balancer}-0", NodeHarness.IsReady, "Running and Ready", ticker.Names.Namespace);
        var snapshot = node.Node.Pod(ticker.Names.Namespace, $"{balancer}-0")!;
        var nginx = snapshot.Containers.Single(c => c.Name == "nginx");
        var reloader = snapshot.Containers.Single(c => c.Name == NginxReloader.ContainerName);
        nginx.Kind.Should().Be(ContainerKind.Nginx);
        reloader.Kind.Should().Be(ContainerKind.NodeReloader);
        reloader.Pid.Should().BeNull("the node reloads NGINX itself");
        reloader.Ready.Should().BeTrue();
        using (var response = await Http.GetAsync($"http://{pod.Status.PodIP}:{BalancerPorts.Observability}/healthz"))
            response.IsSuccessStatusCode.Should().BeTrue("NGINX listens on the pod's address");

        // The pool's ready endpoints changed: the operator writes the new upstream servers.
        ticker.Rerender(_ => { }, new RenderOptions { Backends = ["127.0.0.250:9000", "127.0.0.251:9000"] });
        var configMap = await node.Client.CoreV1.ReadNamespacedConfigMapAsync(balancer, ticker.Names.Namespace);
        configMap.Data[BalancerPaths.NginxConfigFile] = ticker.Object<V1ConfigMap>(balancer).Data[BalancerPaths.NginxConfigFile];
        await node.Client.CoreV1.ReplaceNamespacedConfigMapAsync(configMap, balancer, ticker.Names.Namespace);

        var reloaded = await node.WaitForSnapshotAsync($"{balancer}-0", s => s?.Reloads >= 1, "one reload", ticker.Names.Namespace);
        reloaded!.Reloads.Should().Be(1);
        File.ReadAllText(Path.Combine(snapshot.Directory, "containers", "nginx", BalancerPaths.NginxConfigFile)).Should().Contain("127.0.0.251:9000");
        var log = await Eventually.ValueAsync(() => Log(nginx), text => Count(text, @"signal 1 \(SIGHUP\) received") >= 1, "NGINX to get its HUP");
        Count(log, @"signal 1 \(SIGHUP\) received").Should().Be(1);
    }

    [Fact]
    public async Task The_managed_redis_broker_binds_its_pod_address_with_its_password_and_passes_its_exec_readiness_probe()
    {
        await using var node = await NodeHarness.StartAsync(output);
        var chat = RenderedPool.Load("chat.yaml", pool => pool.Spec.Balancer.Tls = null);
        await chat.CreateConfigAsync(node);
        await node.CreatePodAsync(chat.PodOf(chat.Names.Redis));

        var pod = await node.WaitForPodAsync($"{chat.Names.Redis}-0", NodeHarness.IsReady,
            "Running and Ready (redis-cli ping, pointed at the pod's address)", chat.Names.Namespace);

        using var client = new TcpClient();
        await client.ConnectAsync(pod.Status.PodIP, BrokerRenderer.RedisPort);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes("PING\r\n"));
        var buffer = new byte[256];
        var read = await stream.ReadAsync(buffer);
        Encoding.ASCII.GetString(buffer, 0, read).Should().StartWith("-NOAUTH", "the password from the Secret was expanded into --requirepass");
    }
}
