using System.Net.Sockets;
using System.Text;
using k8s;
using WsPool.Core.Api;
using WsPool.Core.Balancers;
using WsPool.Core.Rendering;
using WsPool.Local.Tools;

namespace WsPool.Local.Tests.Dns;

/// <summary>
/// The managed HAProxy discovers pods through DNS; in local mode that DNS is LocalDns. A real HAProxy runs the
/// resolvers section and server lines the operator renders for examples/chat.yaml with LocalDns as its nameserver,
/// and its server slots fill as the headless Service's EndpointSlice gains ready pods, with no reload.
/// </summary>
public sealed class HAProxyThroughLocalDnsTests
{
    [Fact]
    public async Task HAProxy_fills_its_server_slots_from_local_dns_as_endpoints_become_ready()
    {
        await using var h = await DnsHarness.StartAsync();
        var pool = KubernetesYaml.Deserialize<WebSocketPool>(File.ReadAllText(Repository.Path("examples", "chat.yaml")), strict: true);
        var names = PoolNames.Of(pool);
        await h.CreateNamespaceAsync(names.Namespace);
        var rendered = BalancerKinds.Render(pool, new RenderOptions { ResolverAddress = h.Dns!.Address })
            .ConfigFiles[BalancerPaths.HAProxyConfigFile];
        await using var haproxy = await HAProxyRun.StartAsync(rendered);

        var slice = EndpointSlices.Of(names.Namespace, names.HeadlessService, $"{names.HeadlessService}-1", new Endpoint("127.0.0.2"),
            new Endpoint("127.0.0.3", Ready: false));
        await h.CreateAsync(slice);
        await haproxy.WaitForAddressesAsync("127.0.0.2");

        await h.ReplaceAsync(EndpointSlices.Of(names.Namespace, names.HeadlessService, $"{names.HeadlessService}-1",
            new Endpoint("127.0.0.2"), new Endpoint("127.0.0.3")));
        await haproxy.WaitForAddressesAsync("127.0.0.2", "127.0.0.3");

        haproxy.Process.HasExited.Should().BeFalse("the same HAProxy process found the new pod: no restart, no reload");
    }

    /// <summary>
    /// HAProxy with the rendered <c>resolvers</c> section and the rendered backend's <c>default-server</c> and
    /// <c>server-template</c> lines, verbatim, in a minimal TCP proxy with a runtime socket to read the slots.
    /// </summary>
    private sealed class HAProxyRun : IAsyncDisposable
    {
        private readonly string _dir = Directory.CreateTempSubdirectory("wspool-dns-haproxy-").FullName;

        public ManagedProcess Process { get; private set; } = null!;
        private string Socket => Path.Combine(_dir, "admin.sock");

        public static async Task<HAProxyRun> StartAsync(string rendered)
        {
            var run = new HAProxyRun();
            try
            {
                var lines = rendered.Split('\n');
                var resolvers = Section(lines, $"resolvers {HAProxyConfigBuilder.ResolversName}");
                var servers = lines.Where(l => l.TrimStart().StartsWith("default-server ") || l.TrimStart().StartsWith("server-template ")).ToList();
                servers.Should().HaveCount(2, "the rendered backend has one default-server and one server-template line");
                var port = FreePort.Next();
                var config = $"""
                    global
                        stats socket {run.Socket} level admin
                    defaults
                        mode tcp
                        timeout connect 1s
                        timeout client 10s
                        timeout server 10s
                    {string.Join("\n", resolvers)}
                    frontend ws
                        bind 127.0.0.1:{port}
                        default_backend {HAProxyConfigBuilder.BackendName}
                    backend {HAProxyConfigBuilder.BackendName}
                    {string.Join("\n", servers)}

                    """;
                var file = Path.Combine(run._dir, "haproxy.cfg");
                await File.WriteAllTextAsync(file, config);
                run.Process = ManagedProcess.Start(LocalTools.Require(LocalTools.HAProxy), ["-db", "-f", file]);
                await run.Process.WaitForPortAsync("127.0.0.1", port);
                return run;
            }
            catch
            {
                await run.DisposeAsync();
                throw;
            }
        }

        /// <summary>A section's header and its indented lines, as rendered.</summary>
        private static IEnumerable<string> Section(string[] lines, string header)
        {
            var start = Array.FindIndex(lines, l => l.TrimEnd() == header);
            start.Should().BeGreaterThanOrEqualTo(0, $"the rendered config has a '{header}' section");
            return lines.Skip(start).Take(1).Concat(lines.Skip(start + 1).TakeWhile(l => l.StartsWith(' ') || l.Length == 0));
        }

        /// <summary>The addresses HAProxy's server slots hold now (runtime API `show servers state`).</summary>
        public async Task<IReadOnlyList<string>> AddressesAsync()
        {
            using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(Socket), cts.Token);
            await socket.SendAsync(Encoding.ASCII.GetBytes($"show servers state {HAProxyConfigBuilder.BackendName}\n"), cts.Token);
            var text = new StringBuilder();
            var buffer = new byte[16384];
            int read;
            while ((read = await socket.ReceiveAsync(buffer, cts.Token)) > 0) text.Append(Encoding.ASCII.GetString(buffer, 0, read));
            // Columns: be_id be_name srv_id srv_name srv_addr ...; an empty slot's address is 0.0.0.0 or "-".
            return text.ToString().Split('\n')
                .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                .Where(f => f.Length > 4 && !f[0].StartsWith('#') && f[1] == HAProxyConfigBuilder.BackendName)
                .Select(f => f[4])
                .Where(a => a.StartsWith("127."))
                .Order(StringComparer.Ordinal)
                .ToList();
        }

        public Task WaitForAddressesAsync(params string[] addresses) =>
            Eventually.ValueAsync(AddressesAsync, seen => seen.SequenceEqual(addresses.Order(StringComparer.Ordinal)),
                $"HAProxy's slots to hold exactly [{string.Join(", ", addresses)}]",
                describe: seen => $"[{string.Join(", ", seen)}]; HAProxy output:\n{Process.Output}");

        public async ValueTask DisposeAsync()
        {
            if (Process is not null) await Process.DisposeAsync();
            try { Directory.Delete(_dir, recursive: true); }
            catch (IOException) { }
        }
    }
}
