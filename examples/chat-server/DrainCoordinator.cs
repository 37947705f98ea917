using System.Diagnostics;
using System.Net.WebSockets;

namespace ChatServer;

/// <summary>
/// Graceful drain, on SIGTERM (Kubernetes deleting the pod) and on POST /drain (the operator scaling down): readiness
/// turns false at once, new upgrades get 503, and the open connections are closed with 1001 (Going Away) one by one,
/// evenly spread over the drain window, so their clients do not all reconnect elsewhere in the same instant. Then the
/// host stops and the process exits 0.
///
/// It runs in <see cref="IHostedLifecycleService.StoppingAsync"/>, which the host calls before it stops any service,
/// so Kestrel keeps listening during the window and can answer /readyz and refused upgrades with 503.
/// </summary>
public sealed class DrainCoordinator(
    ChatSettings settings, ConnectionRegistry registry, IHostApplicationLifetime lifetime, ILogger<DrainCoordinator> logger)
    : IHostedLifecycleService
{
    public const WebSocketCloseStatus GoingAway = WebSocketCloseStatus.EndpointUnavailable; // 1001
    public const string Reason = "server draining, please reconnect";

    /// <summary>Starts a drain as if the process got SIGTERM; the host then exits when the drain is done.</summary>
    public void RequestDrain() => lifetime.StopApplication();

    public Task StartingAsync(CancellationToken cancellationToken)
    {
        // Readiness must turn false the moment shutdown begins, before any hosted service gets to stop.
        lifetime.ApplicationStopping.Register(() => registry.BeginDraining());
        return Task.CompletedTask;
    }

    public Task StoppingAsync(CancellationToken cancellationToken) => DrainAsync(cancellationToken);

    private async Task DrainAsync(CancellationToken hostGivesUp)
    {
        registry.BeginDraining();
        var connections = registry.Snapshot().Where(c => !c.IsClosing).ToList();
        var window = settings.DrainTimeout;
        logger.LogInformation("draining {Connections} connections over {Window}", connections.Count, Duration.Format(window));

        var clock = Stopwatch.StartNew();
        var closing = new List<Task>(connections.Count);
        for (var i = 0; i < connections.Count; i++)
        {
            // Connection i closes at i/n of the window: the first at once, the last one slot before the end.
            var due = window * i / connections.Count;
            var wait = due - clock.Elapsed;
            if (wait > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(wait, hostGivesUp);
                }
                catch (OperationCanceledException)
                {
                    // The host's shutdown timeout ran out: close the rest now rather than be killed mid-way.
                }
            }
            if (connections[i].RequestClose(GoingAway, Reason)) closing.Add(connections[i].Finished);
        }

        // Connections that were being accepted as the drain began.
        foreach (var late in registry.Snapshot())
            if (late.RequestClose(GoingAway, Reason)) closing.Add(late.Finished);

        try
        {
            await Task.WhenAll(closing).WaitAsync(settings.CloseHandshakeTimeout + TimeSpan.FromSeconds(2));
        }
        catch (TimeoutException)
        {
            logger.LogWarning("{Open} connections did not finish their close handshake in time", registry.Count);
        }
        logger.LogInformation("drained {Closed} connections in {Elapsed:F1}s; exiting", closing.Count, clock.Elapsed.TotalSeconds);
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
