using System.Net;
using System.Net.Sockets;
using WsPool.Core.Api;
using WsPool.Core.Balancers;
using WsPool.Local.Tools;

namespace WsPool.Local.Session;

/// <summary>
/// What must hold before anything starts, so a session that cannot work fails at once with every reason and the fix
/// for each, and leaves nothing running: the pools need a balancer local mode can run, the tools must be there, the
/// ports the pods listen on must be free, and no other session may own the state directory.
/// </summary>
public static class Preflight
{
    /// <summary>An address no pod gets (the node hands out 127.0.0.2 upwards): binding it tests a port for everyone.</summary>
    private static readonly IPAddress Probe = IPAddress.Parse("127.0.0.254");

    public static IReadOnlyList<string> Check(IReadOnlyList<WebSocketPool> pools, LocalOptions options)
    {
        var problems = new List<string>();
        if (SessionFile.ReadLive(options.StateDirectory) is { } running)
            problems.Add($"a local session is already running (pid {running.ProcessId}, state in {options.StateDirectory}): " +
                "stop it with `wspool local down`, or pass another --state-dir");

        var tools = new SortedSet<string>(StringComparer.Ordinal) { LocalTools.Dnsmasq };
        foreach (var pool in pools)
        {
            var name = $"{pool.Metadata.NamespaceProperty ?? "default"}/{pool.Metadata.Name}";
            switch (pool.Spec.Balancer.Type)
            {
                case BalancerType.HAProxy: tools.Add(LocalTools.HAProxy); break;
                case BalancerType.Nginx: tools.Add(LocalTools.Nginx); break;
                default:
                    problems.Add($"pool {name}: spec.balancer.type {pool.Spec.Balancer.Type} is served by a controller in a cluster; " +
                        "local mode runs the managed balancers: set spec.balancer.type to HAProxy or Nginx to run it here");
                    break;
            }
            if (pool.Spec.Broker.Type == BrokerType.Managed) tools.Add(LocalTools.RedisServer);
        }
        foreach (var tool in tools.Where(t => LocalTools.Find(t) is null))
            problems.Add($"'{tool}' was not found in {Path.Combine(LocalTools.CacheDirectory, "bin")} nor on PATH: run `make deps`");

        foreach (var port in Ports(pools).Where(p => !IsFree(p)))
            problems.Add($"port {port} is taken on every loopback address (a process listens on 0.0.0.0:{port} or [::]:{port}), " +
                $"and the pods listen on it at their own 127.0.0.x: stop that process (`ss -ltnp 'sport = :{port}'` names it)");
        return problems;
    }

    /// <summary>Every port a pod of these pools listens on: the balancer's and each backend container's.</summary>
    private static IEnumerable<int> Ports(IReadOnlyList<WebSocketPool> pools) =>
        pools.SelectMany(p => (p.Spec.Template?.Spec?.Containers ?? []).SelectMany(c => c.Ports ?? []).Select(port => port.ContainerPort)
                .Concat([BalancerPorts.Http, BalancerPorts.Https, BalancerPorts.Observability])
                .Concat(int.TryParse(p.Spec.Scaling.Rebalance.AdminPort?.Value, out var admin) ? [admin] : []))
            .Distinct()
            .Order();

    private static bool IsFree(int port)
    {
        try
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            socket.Bind(new IPEndPoint(Probe, port));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
