using System.Net;
using WsPool.Load;

namespace WsPool.Bench.Backend;

/// <summary>A server under measurement: its process id and WebSocket URL.</summary>
internal sealed record Target(string Name, int Pid, Uri WebSocketUri);

/// <summary>What one ramp of connections showed.</summary>
internal sealed record RampFigures(int Opened, double AcceptsPerSecond, double HandshakeP50Ms, double HandshakeP99Ms, int Failed);

/// <summary>
/// The two measurements. Memory: read the server's settled resident memory, open the connections and let them sit
/// idle, read it again; the difference over the connections is the memory per idle connection. Accept rate: open
/// connections as fast as the server takes them (wsload, a bounded number of handshakes in flight) and count first
/// connects per second of the ramp.
/// </summary>
internal static class Measurement
{
    public static Task WarmUpAsync(Target target, IReadOnlyList<IPAddress> sources) =>
        LoadRunner.RunAsync(Options(target, 500, sources) with { Hold = TimeSpan.Zero });

    public static async Task<(long Idle, long Loaded, RampFigures Ramp)> MemoryAsync(Target target, int connections, IReadOnlyList<IPAddress> sources)
    {
        var idle = await ProcessMemory.SettledResidentBytesAsync(target.Pid, TimeSpan.FromSeconds(3));
        await using var run = LoadRunner.Start(Options(target, connections, sources));
        await run.RampDone.WaitAsync(TimeSpan.FromMinutes(5));
        var loaded = await ProcessMemory.SettledResidentBytesAsync(target.Pid, TimeSpan.FromSeconds(5));
        return (idle, loaded, Figures(await run.StopAsync()));
    }

    public static async Task<RampFigures> AcceptRateAsync(Target target, int connections, IReadOnlyList<IPAddress> sources) =>
        Figures(await LoadRunner.RunAsync(Options(target, connections, sources) with { Hold = TimeSpan.Zero }));

    private static LoadOptions Options(Target target, int connections, IReadOnlyList<IPAddress> sources) => new()
    {
        Url = target.WebSocketUri,
        Connections = connections,
        Hold = null,
        ConnectConcurrency = 64,
        WhoAmI = false, // the handshake only: no application round trip in the accept rate
        SourceAddresses = sources,
        ConnectTimeout = TimeSpan.FromSeconds(30),
    };

    private static RampFigures Figures(LoadSummary summary) => new(
        summary.Opened, summary.ConnectsPerSecond, summary.HandshakeLatency.P50Ms, summary.HandshakeLatency.P99Ms, summary.FailedTotal);
}
