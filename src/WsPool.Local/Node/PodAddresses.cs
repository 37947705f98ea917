using System.Globalization;
using System.Net;

namespace WsPool.Local.Node;

/// <summary>
/// The pod network of one machine: every pod gets its own loopback address, so pods can all listen on the same ports
/// (8080, 9091, ...) as they do in a cluster. 127.0.0.1 stays with the API, DNS and the user. Addresses are handed
/// out in turn after the last one (as the host-local IPAM plugin does), so a pod's address is not reused at once by
/// the next pod while a balancer may still hold it; addresses ending in .0 or .255 are skipped, as is any address
/// something on the machine already listens on (another engineer's server, a test).
/// </summary>
public sealed class PodAddresses
{
    private const uint First = 0x7F000002; // 127.0.0.2
    private const uint Last = 0x7FFFFFFE;  // 127.255.255.254

    private readonly Func<IPAddress, bool> _inUse;
    private readonly Dictionary<uint, string> _taken = [];
    private readonly Lock _lock = new();
    private uint _next = First;

    /// <param name="inUse">Whether something outside the node uses an address; defaults to <see cref="HasListener"/>.</param>
    public PodAddresses(Func<IPAddress, bool>? inUse = null) => _inUse = inUse ?? HasListener;

    /// <summary>Addresses held now, with their owners (for the live view and tests).</summary>
    public IReadOnlyDictionary<string, string> Taken
    {
        get
        {
            lock (_lock) return _taken.ToDictionary(pair => ToAddress(pair.Key).ToString(), pair => pair.Value);
        }
    }

    /// <summary>A free address for <paramref name="owner"/> (e.g. "namespace/pod").</summary>
    public IPAddress Allocate(string owner)
    {
        lock (_lock)
        {
            for (long tried = 0; tried <= Last - First; tried++)
            {
                var candidate = _next;
                _next = _next >= Last ? First : _next + 1;
                var lastByte = candidate & 0xFF;
                if (lastByte is 0 or 255 || _taken.ContainsKey(candidate)) continue;
                var address = ToAddress(candidate);
                if (_inUse(address)) continue;
                _taken[candidate] = owner;
                return address;
            }
        }
        throw new InvalidOperationException("no loopback address is free for another pod");
    }

    public void Release(IPAddress address)
    {
        lock (_lock) _taken.Remove(ToNumber(address));
    }

    /// <summary>Whether any TCP socket listens on exactly this address (reads /proc/net/tcp, Linux).</summary>
    public static bool HasListener(IPAddress address)
    {
        // /proc/net/tcp shows "local_address" as the address in host (little-endian) byte order, hex, then ":PORT";
        // state 0A is LISTEN.
        var bytes = address.GetAddressBytes();
        var hex = string.Concat(bytes.Reverse().Select(b => b.ToString("X2", CultureInfo.InvariantCulture))) + ":";
        try
        {
            foreach (var line in File.ReadLines("/proc/net/tcp").Skip(1))
            {
                var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length > 3 && fields[3] == "0A" && fields[1].StartsWith(hex, StringComparison.Ordinal)) return true;
            }
        }
        catch (IOException)
        {
            // No /proc: nothing to learn; a port clash then shows in the pod's log.
        }
        return false;
    }

    private static IPAddress ToAddress(uint number) =>
        new([(byte)(number >> 24), (byte)(number >> 16), (byte)(number >> 8), (byte)number]);

    private static uint ToNumber(IPAddress address)
    {
        var b = address.GetAddressBytes();
        return (uint)b[0] << 24 | (uint)b[1] << 16 | (uint)b[2] << 8 | b[3];
    }
}
