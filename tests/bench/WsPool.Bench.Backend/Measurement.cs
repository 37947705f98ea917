using System.Net;
using WsPool.Load;

namespace WsPool.Bench.Backend;

/// <summary>
/// Measures one server: warm it up (JIT, pools), read its settled resident memory, open the connections as fast as the
/// server accepts them (wsload with a bounded number of handshakes in flight), read the memory again while they sit
/// idle, then close them. Memory per connection is the difference over the connections that opened.
/// </summary>
internal static class Measurement
{
    public static async Task<ServerFigures> MeasureAsync(string name, int pid, Uri webSocketUri, int connections, IReadOnlyList<IPAddress> sources)
    {
        await LoadRunner.RunAsync(new LoadOptions
        {
            Url = webSocketUri, Connections = 500, Hold = TimeSpan.Zero, WhoAmI = false, SourceAddresses = sources,
        });
        var idle = await ProcessMemory.SettledResidentBytesAsync(pid, TimeSpan.FromSeconds(3));

        await using var run = LoadRunner.Start(new LoadOptions
        {
            Url = webSocketUri,
            Connections = connections,
            Hold = null,
            ConnectConcurrency = 64,
            WhoAmI = false,
            SourceAddresses = sources,
            ConnectTimeout = TimeSpan.FromSeconds(30),
        });
        await run.RampDone.WaitAsync(TimeSpan.FromMinutes(5));
        var open = run.Snapshot().Open;
        var loaded = await ProcessMemory.SettledResidentBytesAsync(pid, TimeSpan.FromSeconds(5));
        var summary = await run.StopAsync();

        return new ServerFigures(
            name,
            open,
            idle,
            loaded,
            open > 0 ? (loaded - idle) / open : 0,
            summary.ConnectsPerSecond,
            summary.HandshakeLatency.P50Ms,
            summary.HandshakeLatency.P99Ms,
            summary.FailedTotal);
    }
}
