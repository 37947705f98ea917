using WsPool.Operator.Runtime;

namespace WsPool.Local.Dns;

/// <summary>How local mode's cluster DNS runs.</summary>
public sealed record LocalDnsOptions
{
    /// <summary>
    /// Where dnsmasq's hosts directory, log (<c>dnsmasq.log</c>) and PID file go. Created if missing; the hosts directory
    /// in it is local DNS's own and is emptied on start.
    /// </summary>
    public required string StateDirectory { get; init; }

    /// <summary>The UDP and TCP port on 127.0.0.1; 0 picks a free one.</summary>
    public int Port { get; init; }

    /// <summary>The cluster domain names end in, as a kubelet's <c>--cluster-domain</c>.</summary>
    public string ClusterDomain { get; init; } = "cluster.local";

    /// <summary>The TTL of every answer: short, so a resolver's cache never hides a scaling step for long.</summary>
    public int TtlSeconds { get; init; } = 1;

    /// <summary>How long the first list of EndpointSlices may take before start-up fails (the API is unreachable).</summary>
    public TimeSpan SyncTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long dnsmasq may take to answer its first question.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>The watch's timings (server timeout, watchdog, backoff); the operator's defaults unless a test shortens them.</summary>
    public InformerOptions Watch { get; init; } = new();

    /// <summary>The dnsmasq to run; null finds it as local mode finds every tool (<see cref="Tools.LocalTools"/>).</summary>
    public string? DnsmasqPath { get; init; }
}
