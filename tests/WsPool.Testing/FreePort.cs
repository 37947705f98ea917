using System.Net;
using System.Net.Sockets;

namespace WsPool.Testing;

/// <summary>Finds TCP ports nobody listens on, for servers a test starts.</summary>
public static class FreePort
{
    /// <summary>A port that is free on <paramref name="address"/> (127.0.0.1 by default) at the time of the call.</summary>
    public static int Next(IPAddress? address = null)
    {
        using var listener = new TcpListener(address ?? IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>
    /// <paramref name="count"/> different free ports: each is held open until all are chosen, so two calls cannot
    /// hand back the same port (two <see cref="Next"/> calls in a row can).
    /// </summary>
    public static int[] NextDistinct(int count, IPAddress? address = null)
    {
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(address ?? IPAddress.Loopback, 0)).ToList();
        try
        {
            foreach (var listener in listeners) listener.Start();
            return listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
        }
        finally
        {
            foreach (var listener in listeners) listener.Stop();
        }
    }

    /// <summary>A port that is free on every one of <paramref name="addresses"/> (backends that share a port).</summary>
    public static int NextOnAll(IEnumerable<IPAddress> addresses)
    {
        var all = addresses.ToList();
        for (var attempt = 0; attempt < 50; attempt++)
        {
            var port = Next(all[0]);
            if (all.Skip(1).All(a => IsFree(a, port))) return port;
        }
        throw new InvalidOperationException("no port is free on every address");
    }

    private static bool IsFree(IPAddress address, int port)
    {
        try
        {
            using var listener = new TcpListener(address, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
