using System.Net;
using WsPool.Core.Scaling;

namespace WsPool.Operator.Scaling;

/// <summary>
/// Reads live connections per backend pod from the managed HAProxy: one <c>GET /stats;csv</c> per balancer pod on its
/// observability port, concurrently with a timeout each. Each server-template slot's <c>scur</c> (current sessions;
/// an upgraded WebSocket is one long session) is summed over the balancer pods and mapped to a backend pod by the
/// slot's address (the pod IP the resolver filled in).
/// <para>Why the stats CSV and not the Prometheus exporter: HAProxy 2.6's exporter labels
/// <c>haproxy_server_current_sessions</c> with the slot name (ws1..wsN) only, and slots are reassigned as pods come and
/// go; the CSV carries <c>scur</c> and <c>addr</c> in one request (addr needs <c>stats show-legends</c>).</para>
/// A balancer pod that does not answer makes the sample partial (listed as missing): counts could only be low, so
/// the policy may scale up on it but not down. With no balancer answering the sample fails.
/// </summary>
public sealed class BalancerSessionsScraper(HttpClient http, ScraperOptions options)
{
    public async Task<ScrapeOutcome> ScrapeAsync(IReadOnlyList<ScrapeTarget> balancers, IReadOnlyList<ScrapeTarget> pods,
        DateTime at, CancellationToken cancellationToken)
    {
        if (balancers.Count == 0)
            return new ScrapeOutcome(ConnectionSample.Failed(at, "no ready balancer pod to read sessions from"), new Dictionary<string, string>());

        using var gate = new SemaphoreSlim(Math.Max(1, options.MaxInFlight));
        var reads = balancers.Select(async balancer =>
        {
            await gate.WaitAsync(cancellationToken);
            try { return (balancer, result: await ReadAsync(balancer, cancellationToken)); }
            finally { gate.Release(); }
        }).ToList();
        var results = await Task.WhenAll(reads);

        var byAddress = new Dictionary<IPAddress, long>();
        var failures = new Dictionary<string, string>();
        foreach (var (balancer, (servers, error)) in results)
        {
            if (servers is null) { failures[balancer.Name] = $"{balancer.Name}: {error}"; continue; }
            foreach (var server in servers)
            {
                if (server.Proxy != options.BalancerBackend) continue;
                if (server.Address is null)
                {
                    // A slot in maintenance without an address is a pod that left DNS (deleted, draining): its sessions
                    // are leaving and belong to no pod of the pool any more, so they are not part of the sample.
                    if (server.CurrentSessions > 0 && !server.Status.StartsWith("MAINT", StringComparison.Ordinal))
                    {
                        failures[balancer.Name] = $"{balancer.Name}: server {server.Server} has sessions but no address; the stats frontend needs 'stats show-legends'";
                        break;
                    }
                    continue;
                }
                if (TryParseIp(server.Address, out var ip))
                    byAddress[ip] = byAddress.GetValueOrDefault(ip) + server.CurrentSessions;
            }
        }

        if (failures.Count == balancers.Count)
            return new ScrapeOutcome(ConnectionSample.Failed(at, string.Join("; ", failures.Values)), failures);

        var counts = new Dictionary<string, long>();
        foreach (var pod in pods)
            counts[pod.Name] = IPAddress.TryParse(pod.Address, out var ip) ? byAddress.GetValueOrDefault(ip) : 0;
        return new ScrapeOutcome(new ConnectionSample(at, counts, failures.Keys.Order(StringComparer.Ordinal).ToList()), failures);
    }

    /// <summary>
    /// The addresses some balancer pod may still send new connections to: slots of the pool's backend that are
    /// neither in maintenance nor down. Null when a balancer pod does not answer (nothing can be concluded).
    /// </summary>
    public async Task<IReadOnlySet<IPAddress>?> RoutedAddressesAsync(IReadOnlyList<ScrapeTarget> balancers, CancellationToken cancellationToken)
    {
        if (balancers.Count == 0) return null;
        var routed = new HashSet<IPAddress>();
        foreach (var balancer in balancers)
        {
            var (servers, _) = await ReadAsync(balancer, cancellationToken);
            if (servers is null) return null;
            foreach (var server in servers)
                if (server.Proxy == options.BalancerBackend && server.Address is { } address && TryParseIp(address, out var ip)
                    && !server.Status.StartsWith("MAINT", StringComparison.Ordinal) && !server.Status.StartsWith("DOWN", StringComparison.Ordinal))
                    routed.Add(ip);
        }
        return routed;
    }

    private async Task<(IReadOnlyList<HAProxyServerStats>? Servers, string? Error)> ReadAsync(ScrapeTarget balancer,
        CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.RequestTimeout);
        var url = balancer.Url(options.BalancerStatsPath);
        try
        {
            using var response = await http.GetAsync(url, timeout.Token);
            if (!response.IsSuccessStatusCode) return (null, $"GET {url} answered {(int)response.StatusCode}");
            return (HAProxyStatsCsv.ParseServers(await response.Content.ReadAsStringAsync(timeout.Token)), null);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (null, $"GET {url} timed out after {options.RequestTimeout.TotalMilliseconds:0} ms");
        }
        catch (Exception e) when (e is HttpRequestException or FormatException)
        {
            return (null, $"GET {url} failed: {e.Message}");
        }
    }

    /// <summary>"10.0.0.5:8080" or "[fd00::5]:8080" → the IP.</summary>
    internal static bool TryParseIp(string address, out IPAddress ip)
    {
        if (IPEndPoint.TryParse(address, out var endpoint)) { ip = endpoint.Address; return true; }
        ip = IPAddress.None;
        return false;
    }
}
