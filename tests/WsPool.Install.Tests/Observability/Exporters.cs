using System.Globalization;
using WsPool.Operator.Hosting;
using WsPool.Operator.Runtime;
using WsPool.Testing;

namespace WsPool.Install.Tests.Observability;

/// <summary>What each exporter really emits, read from the real thing.</summary>
internal static class Exporters
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    /// <summary>The operator's registry after every metric has been touched once (labelled series appear on first use).</summary>
    public static async Task<string> OperatorAsync()
    {
        var metrics = new OperatorMetrics();
        metrics.Reconciled("websocketpool", TimeSpan.FromMilliseconds(3), failed: true);
        metrics.WatchRestarted("websocketpools", WatchRestartReason.Expired);
        metrics.ApiRequest("PATCH", "500", failed: true);
        metrics.Leading(true);
        ((WsPool.Operator.Reconciling.IPoolMetrics)metrics).Observed("default", "chat", desiredReplicas: 3, readyReplicas: 2, connections: 1500);
        var queue = metrics.ForQueue("websocketpool");
        queue.Depth(1);
        queue.Waited(TimeSpan.FromMilliseconds(2));
        using var stream = new MemoryStream();
        await metrics.Registry.CollectAndExportAsTextAsync(stream);
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>/metrics of a real chat-server process.</summary>
    public static async Task<string> ChatServerAsync()
    {
        await using var server = await ChatServerProcess.StartAsync(new ChatServerOptions { ConnectionLimit = 100 });
        return await server.MetricsTextAsync();
    }

    /// <summary>The Prometheus exporter of a real /usr/sbin/haproxy with a frontend, a backend and one server.</summary>
    public static async Task<string> HAProxyAsync()
    {
        var ports = FreePort.NextDistinct(3);
        var (port, metricsPort, backendPort) = (ports[0], ports[1], ports[2]);
        var directory = Directory.CreateTempSubdirectory("wspool-install-haproxy-").FullName;
        var config = Path.Combine(directory, "haproxy.cfg");
        await File.WriteAllTextAsync(config, string.Create(CultureInfo.InvariantCulture, $"""
            global
              maxconn 200
            defaults
              mode http
              timeout connect 2s
              timeout client 30s
              timeout server 30s
              timeout tunnel 1h
            frontend websocket
              bind 127.0.0.1:{port}
              default_backend pool
            backend pool
              balance leastconn
              server ws1 127.0.0.1:{backendPort} maxconn 100
            frontend observability
              bind 127.0.0.1:{metricsPort}
              http-request use-service prometheus-exporter if {"{"} path /metrics {"}"}

            """));
        try
        {
            await using var haproxy = ManagedProcess.Start(Tools.Path(Tools.HAProxy), ["-db", "-f", config]);
            await haproxy.WaitForPortAsync("127.0.0.1", metricsPort, TimeSpan.FromSeconds(15));
            return await Http.GetStringAsync($"http://127.0.0.1:{metricsPort}/metrics");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
