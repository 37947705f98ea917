using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace WsPool.Operator.Runtime;

/// <summary>
/// Runs a reconciler over a work queue with N workers. The queue guarantees one key is never reconciled twice at
/// once; a failure is retried through the rate limiter, a success forgets the key's backoff, and RequeueAfter
/// schedules the next look.
/// </summary>
public sealed class Controller(
    string name,
    WorkQueue<ObjectKey> queue,
    IReconciler reconciler,
    int workers,
    ILogger logger,
    IControllerMetrics? metrics = null)
{
    public string Name => name;

    public WorkQueue<ObjectKey> Queue => queue;

    /// <summary>Runs the workers until cancelled, then shuts the queue down and waits for reconciles in flight.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var running = Enumerable.Range(0, Math.Max(1, workers))
            .Select(_ => Task.Run(() => WorkAsync(cancellationToken), CancellationToken.None))
            .ToArray();
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        queue.ShutDown();
        await Task.WhenAll(running).ConfigureAwait(false);
    }

    private async Task WorkAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            bool ok;
            ObjectKey key;
            try
            {
                (ok, key) = await queue.GetAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            if (!ok) return;
            try
            {
                await ProcessAsync(key, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                queue.Done(key);
            }
        }
    }

    private async Task ProcessAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            var result = await reconciler.ReconcileAsync(key, cancellationToken).ConfigureAwait(false);
            metrics?.Reconciled(name, Stopwatch.GetElapsedTime(started), failed: false);
            queue.Forget(key);
            if (result.RequeueAfter is { } after) queue.AddAfter(key, after);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down: the key is picked up again by whoever runs next.
        }
        catch (Exception e)
        {
            metrics?.Reconciled(name, Stopwatch.GetElapsedTime(started), failed: true);
            var retries = queue.NumRequeues(key);
            logger.LogWarning("Reconciling {Controller} {Key} failed (attempt {Attempt}): {Error}; retrying with backoff",
                name, key, retries + 1, e is k8s.Autorest.HttpOperationException h
                    ? $"HTTP {(int)h.Response.StatusCode} {h.Response.ReasonPhrase}"
                    : e.Message);
            queue.AddRateLimited(key);
        }
    }
}
