using Spectre.Console;
using WsPool.Local.View;

namespace WsPool.Local.Session;

/// <summary>
/// Shows the session until it is stopped: a live display redrawn every second on a terminal, or, when the output is
/// a file or a pipe, one line whenever what a user would care about changes (replicas, pods, decisions, reloads).
/// </summary>
public static class LiveView
{
    public static async Task RunAsync(LocalSession session, IAnsiConsole console, TextWriter lines, bool live, CancellationToken stopping)
    {
        var reader = new SnapshotReader(session, session.Pools[0]);
        if (live)
        {
            await console.Live(new Markup("starting…")).AutoClear(false).StartAsync(async context =>
            {
                while (!stopping.IsCancellationRequested)
                {
                    if (await TryReadAsync(reader, stopping).ConfigureAwait(false) is { } snapshot)
                    {
                        context.UpdateTarget(LocalView.Render(snapshot));
                        context.Refresh();
                    }
                    await Delay(stopping).ConfigureAwait(false);
                }
            }).ConfigureAwait(false);
            return;
        }
        string? last = null;
        while (!stopping.IsCancellationRequested)
        {
            if (await TryReadAsync(reader, stopping).ConfigureAwait(false) is { } snapshot && Line(snapshot) is var line && line != last)
            {
                lines.WriteLine($"{snapshot.Time:HH:mm:ss} {line}");
                last = line;
            }
            await Delay(stopping).ConfigureAwait(false);
        }
    }

    /// <summary>What changed, in one line: replicas, serving and draining pods, connections, the latest decision, reloads.</summary>
    public static string Line(LocalSnapshot s) =>
        $"{s.Pool.Namespace}/{s.Pool.Name} {s.Pool.Url} replicas {s.Pool.ReadyReplicas}/{s.Pool.DesiredReplicas} " +
        $"serving {s.ServingPods} draining {s.DrainingPods} connections {s.TotalConnections} reloads {s.BalancerReloads}" +
        (s.Decisions.MaxBy(d => d.Time) is { } d ? $" | {d.Reason}: {d.Message}" : "");

    private static async Task<LocalSnapshot?> TryReadAsync(SnapshotReader reader, CancellationToken stopping)
    {
        try
        {
            return await reader.ReadAsync(stopping).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return null;
        }
    }

    private static async Task Delay(CancellationToken stopping)
    {
        try { await Task.Delay(TimeSpan.FromSeconds(1), stopping).ConfigureAwait(false); }
        catch (OperationCanceledException) { }
    }
}
