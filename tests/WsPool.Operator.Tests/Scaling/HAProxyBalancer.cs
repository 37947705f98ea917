using System.Globalization;
using System.Net;
using WsPool.Testing;

namespace WsPool.Operator.Tests.Scaling;

/// <summary>
/// A real /usr/sbin/haproxy playing one managed balancer pod: a WebSocket frontend, backend "pool" with one server
/// slot per backend address (named ws1..wsN as server-template names them), and the observability frontend the
/// generated config has (Prometheus exporter, stats page with show-legends). Hand-written until the generated config
/// is available to this test project.
/// </summary>
internal sealed class HAProxyBalancer : IAsyncDisposable
{
    private readonly ManagedProcess _process;
    private readonly string _directory;

    private HAProxyBalancer(ManagedProcess process, string directory, string address, int port, int statsPort)
    {
        _process = process;
        _directory = directory;
        Address = address;
        Port = port;
        StatsPort = statsPort;
    }

    public string Address { get; }
    public int Port { get; }
    public int StatsPort { get; }
    public Uri WebSocketUri => new($"ws://{Address}:{Port}/ws");

    public static async Task<HAProxyBalancer> StartAsync(string address, int port, int statsPort, IEnumerable<string> backends,
        bool showLegends = true)
    {
        var servers = string.Join("\n", backends.Select((b, i) => $"  server ws{i + 1} {b} maxconn 100"));
        var config = string.Create(CultureInfo.InvariantCulture, $$"""
            global
              maxconn 2000
            defaults
              mode http
              timeout connect 2s
              timeout client 30s
              timeout server 30s
              timeout tunnel 1h
            frontend websocket
              bind {{address}}:{{port}}
              default_backend pool
            backend pool
              balance leastconn
            {{servers}}
            frontend observability
              bind {{address}}:{{statsPort}}
              no log
              http-request use-service prometheus-exporter if { path /metrics }
              stats enable
              stats uri /stats
              {{(showLegends ? "stats show-legends" : "")}}

            """);
        var directory = Directory.CreateTempSubdirectory("wspool-haproxy-").FullName;
        var file = Path.Combine(directory, "haproxy.cfg");
        await File.WriteAllTextAsync(file, config);
        var process = ManagedProcess.Start(Tools.Path(Tools.HAProxy), ["-db", "-f", file]);
        var balancer = new HAProxyBalancer(process, directory, address, port, statsPort);
        try
        {
            await process.WaitForPortAsync(address, statsPort, TimeSpan.FromSeconds(15));
            return balancer;
        }
        catch
        {
            await balancer.DisposeAsync();
            throw;
        }
    }

    /// <summary>Two balancers on two loopback addresses with the same ports, as two pods of one Deployment.</summary>
    public static async Task<List<HAProxyBalancer>> StartPairAsync(IEnumerable<string> backends, string first = "127.0.0.20", string second = "127.0.0.21")
    {
        var addresses = new[] { IPAddress.Parse(first), IPAddress.Parse(second) };
        var port = FreePort.NextOnAll(addresses);
        var statsPort = FreePort.NextOnAll(addresses);
        while (statsPort == port) statsPort = FreePort.NextOnAll(addresses);
        var list = backends.ToList();
        var a = await StartAsync(first, port, statsPort, list);
        try
        {
            return [a, await StartAsync(second, port, statsPort, list)];
        }
        catch
        {
            await a.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
    }
}
