using System.Net;
using System.Net.Sockets;

namespace WsPool.Operator.Tests.Scaling;

/// <summary>
/// A real TCP listener that accepts connections and never answers: a hung pod. Counts what it accepted so tests can
/// see how many requests were in flight at once.
/// </summary>
internal sealed class SlowListener : IDisposable
{
    private readonly TcpListener _listener;
    private readonly List<TcpClient> _accepted = [];
    private readonly CancellationTokenSource _stop = new();
    private int _count;

    public SlowListener(IPAddress address)
    {
        _listener = new TcpListener(address, 0);
        _listener.Start();
        _ = AcceptLoopAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;
    public int Accepted => Volatile.Read(ref _count);

    private async Task AcceptLoopAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                lock (_accepted) _accepted.Add(client);
                Interlocked.Increment(ref _count);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
        {
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        lock (_accepted) foreach (var c in _accepted) c.Dispose();
    }
}
