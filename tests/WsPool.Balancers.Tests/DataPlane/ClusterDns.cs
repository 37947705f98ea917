using WsPool.Balancers.Tests.Support;
using WsPool.Testing;

namespace WsPool.Balancers.Tests.DataPlane;

/// <summary>
/// dnsmasq playing the cluster DNS for a headless Service: one A record per ready pod, from a hosts file that
/// SIGHUP re-reads (as the endpoints controller adds and removes pods).
/// </summary>
public sealed class ClusterDns : IAsyncDisposable
{
    private readonly TempDir _dir = new();
    private readonly string _hosts;
    private readonly string _name;
    private ManagedProcess? _process;

    private ClusterDns(string name)
    {
        _name = name;
        _hosts = _dir.File("hosts");
    }

    public int Port { get; private set; }
    public string Address => $"127.0.0.1:{Port}";

    public static async Task<ClusterDns> StartAsync(string name, IEnumerable<string> addresses)
    {
        var dns = new ClusterDns(name);
        dns.Write(addresses);
        dns.Port = FreePort.Next();
        dns._process = ManagedProcess.Start(Tools.Path(Tools.Dnsmasq),
        [
            "--no-daemon", $"--port={dns.Port}", "--listen-address=127.0.0.1", "--bind-interfaces",
            "--no-resolv", "--no-hosts", $"--addn-hosts={dns._hosts}",
            // Stay root so the hosts file in the private temp directory can be re-read on SIGHUP.
            "--user=root", $"--pid-file={dns._dir.File("dnsmasq.pid")}",
        ]);
        await dns._process.WaitForPortAsync("127.0.0.1", dns.Port);
        return dns;
    }

    /// <summary>Publishes exactly these pod addresses and makes dnsmasq re-read them.</summary>
    public void SetAddresses(IEnumerable<string> addresses)
    {
        Write(addresses);
        _process!.Signal(1);
    }

    private void Write(IEnumerable<string> addresses) =>
        File.WriteAllLines(_hosts, addresses.Select(a => $"{a} {_name}"));

    public async ValueTask DisposeAsync()
    {
        if (_process is not null) await _process.DisposeAsync();
        _dir.Dispose();
    }
}
