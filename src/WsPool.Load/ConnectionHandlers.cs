using System.Net;
using System.Net.Sockets;

namespace WsPool.Load;

/// <summary>
/// One HTTP handler per local source address, shared by all connections from that address. A handler binds each
/// socket to its source address before connecting, which spreads connections over several loopback addresses and
/// so past the ~28,000 ephemeral ports one address has towards one server port.
/// </summary>
internal sealed class ConnectionHandlers : IDisposable
{
    private readonly HttpMessageInvoker[] _invokers;

    public ConnectionHandlers(IReadOnlyList<IPAddress> sourceAddresses, bool insecure = false)
    {
        _invokers = sourceAddresses.Count == 0
            ? [new HttpMessageInvoker(CreateHandler(null, insecure))]
            : sourceAddresses.Select(a => new HttpMessageInvoker(CreateHandler(a, insecure))).ToArray();
    }

    public HttpMessageInvoker For(int connectionIndex) => _invokers[connectionIndex % _invokers.Length];

    private static SocketsHttpHandler CreateHandler(IPAddress? source, bool insecure) => new()
    {
        SslOptions = insecure
            ? new System.Net.Security.SslClientAuthenticationOptions { RemoteCertificateValidationCallback = (_, _, _, _) => true }
            : new System.Net.Security.SslClientAuthenticationOptions(),
        UseCookies = false,
        UseProxy = false,
        AllowAutoRedirect = false,
        ConnectCallback = async (context, cancellationToken) =>
        {
            var socket = source is null
                ? new Socket(SocketType.Stream, ProtocolType.Tcp)
                : new Socket(source.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                socket.NoDelay = true;
                if (source is not null) socket.Bind(new IPEndPoint(source, 0));
                await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    };

    public void Dispose()
    {
        foreach (var invoker in _invokers) invoker.Dispose();
    }
}
