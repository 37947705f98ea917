using System.Net;

namespace WsPool.Core.Balancers;

/// <summary>The host:port of a DNS server or an upstream (render options), checked before it reaches a config.</summary>
public static class ResolverAddress
{
    /// <summary>True for an IPv4 address with a port 1-65535 (what --resolver and --backends accept).</summary>
    public static bool IsValid(string address)
    {
        var colon = address.LastIndexOf(':');
        if (colon <= 0) return false;
        return IPAddress.TryParse(address[..colon], out var ip)
            && ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork
            && ip.ToString() == address[..colon]
            && int.TryParse(address[(colon + 1)..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port)
            && port is >= 1 and <= 65535
            && port.ToString(System.Globalization.CultureInfo.InvariantCulture) == address[(colon + 1)..];
    }
}
