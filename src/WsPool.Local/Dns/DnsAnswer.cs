using System.Net;

namespace WsPool.Local.Dns;

/// <summary>The response code of a DNS answer (RFC 1035 §4.1.1), the ones a cluster DNS gives.</summary>
public enum DnsResponseCode
{
    NoError = 0,
    FormatError = 1,
    ServerFailure = 2,
    NameError = 3,
    NotImplemented = 4,
    Refused = 5,
}

/// <summary>
/// What a DNS server answered to an A query: its response code, the IPv4 addresses, and the lowest TTL among them
/// (null when there are none). NameError is NXDOMAIN: the name does not exist.
/// </summary>
public sealed record DnsAnswer(DnsResponseCode Code, IReadOnlyList<IPAddress> Addresses, int? MinimumTtl)
{
    public bool IsNameError => Code == DnsResponseCode.NameError;

    /// <summary>Shown in failure messages and logs: the code and the addresses in order, e.g. "NoError [127.0.0.2, 127.0.0.3] ttl 1".</summary>
    public override string ToString() =>
        $"{Code} [{string.Join(", ", Addresses)}]" + (MinimumTtl is { } ttl ? $" ttl {ttl}" : "");
}
