using System.Globalization;
using System.Net;
using System.Net.Sockets;
using WsPool.Core.Api;

namespace WsPool.Core.Validation;

/// <summary>
/// A <c>host:port</c> address that can be written into a balancer config: an IPv4 address, a bracketed IPv6 address
/// or a DNS name, and a port 1-65535. Addresses given on the command line or by the operator reach generated configs,
/// so they pass the same kind of allow-list as the spec's strings.
/// </summary>
public static class HostPort
{
    /// <summary>The canonical <c>host:port</c> text, or an error message saying what is wrong.</summary>
    public static bool TryParse(string? text, out string canonical, out string error)
    {
        canonical = "";
        error = "must be HOST:PORT, such as 127.0.0.1:5353 or dns.example.com:53";
        if (string.IsNullOrEmpty(text)) return false;
        var colon = text.LastIndexOf(':');
        if (colon <= 0 || colon == text.Length - 1) return false;

        var host = text[..colon];
        var portText = text[(colon + 1)..];
        if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            error = "the port must be a number between 1 and 65535";
            return false;
        }

        if (host.StartsWith('[') && host.EndsWith(']'))
        {
            if (!IPAddress.TryParse(host[1..^1], out var v6) || v6.AddressFamily != AddressFamily.InterNetworkV6 || host.Contains('%'))
            {
                error = "the host in brackets must be an IPv6 address";
                return false;
            }
            canonical = $"[{v6}]:{port}";
            return true;
        }
        if (IsIPv4(host))
        {
            canonical = $"{host}:{port}";
            return true;
        }
        if (host.Length <= 253 && AllowList.Matches(Grammars.Dns1123SubdomainPattern, host))
        {
            canonical = $"{host}:{port}";
            return true;
        }
        error = "the host must be an IPv4 address, an IPv6 address in brackets, or a lowercase DNS name";
        return false;
    }

    private static bool IsIPv4(string host)
    {
        var parts = host.Split('.');
        return parts.Length == 4 && parts.All(p =>
            p.Length is > 0 and <= 3 && p.All(char.IsAsciiDigit) && int.Parse(p, CultureInfo.InvariantCulture) <= 255);
    }
}
