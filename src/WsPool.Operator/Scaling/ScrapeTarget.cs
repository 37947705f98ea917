using System.Net;

namespace WsPool.Operator.Scaling;

/// <summary>A pod to read from: its name, its IP and the port to use.</summary>
public sealed record ScrapeTarget(string Name, string Address, int Port)
{
    /// <summary>http://ip:port/path, with brackets around an IPv6 address.</summary>
    public Uri Url(string pathAndQuery)
    {
        var host = IPAddress.TryParse(Address, out var ip) && ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
            ? $"[{Address}]" : Address;
        return new Uri($"http://{host}:{Port}{pathAndQuery}");
    }
}

/// <summary>A sample and, for each source that did not answer, why (for logs, status and events).</summary>
public sealed record ScrapeOutcome(WsPool.Core.Scaling.ConnectionSample Sample, IReadOnlyDictionary<string, string> Failures);
