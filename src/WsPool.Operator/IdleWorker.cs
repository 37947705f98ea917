namespace WsPool.Operator;

/// <summary>Placeholder worker: keeps the host alive until the reconciler replaces it.</summary>
public sealed class IdleWorker(ILogger<IdleWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        logger.LogInformation("wspool operator host started; no controllers are registered yet");
        try { await Task.Delay(Timeout.Infinite, stoppingToken); }
        catch (OperationCanceledException) { }
    }
}
