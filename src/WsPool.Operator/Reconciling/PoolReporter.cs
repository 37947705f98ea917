using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using WsPool.Core.Api;
using WsPool.Core.Balancers;
using WsPool.Core.Status;
using WsPool.Operator.Kubernetes;

namespace WsPool.Operator.Reconciling;

/// <summary>
/// What a user sees of a reconcile: the status (written only when it differs from the cached one) and the Events,
/// each Warning recorded when a problem appears or changes, not on every retry.
/// </summary>
public sealed class PoolReporter(IKubernetes client, PoolKind pools, EventRecorder events, TimeProvider clock,
    ILogger<PoolReporter> logger)
{
    public DateTime Now => clock.GetUtcNow().UtcDateTime;

    public async Task WriteStatusAsync(WebSocketPool pool, WebSocketPoolStatus status, CancellationToken cancellationToken)
    {
        if (StatusDiff.Differs(pool.Status, status))
            await pools.PatchStatusAsync(client, pool, status, cancellationToken).ConfigureAwait(false);
    }

    public async Task InvalidAsync(WebSocketPool pool, IReadOnlyList<ValidationError> errors, CancellationToken cancellationToken)
    {
        var message = string.Join("; ", errors.Select(e => e.ToString()));
        var previous = PoolConditions.Find(pool.Status, PoolConditions.Ready);
        var alreadyReported = previous is { Reason: PoolConditions.Reasons.InvalidSpec }
            && previous.ObservedGeneration == pool.Metadata.Generation && previous.Message == message;
        await WriteStatusAsync(pool, PoolStatusCalculator.Invalid(pool, message, Now), cancellationToken).ConfigureAwait(false);
        if (alreadyReported) return;
        logger.LogWarning("Pool {Namespace}/{Pool} is invalid: {Errors}", pool.Metadata.NamespaceProperty, pool.Metadata.Name, message);
        await events.RecordAsync(pool, EventTypes.Warning, PoolConditions.Reasons.InvalidSpec, "Validate", message,
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Best effort: tell the user why the pool is not converging; the reconcile is retried either way.</summary>
    public async Task ApplyFailedAsync(WebSocketPool pool, Exception error, CancellationToken cancellationToken)
    {
        var message = error is k8s.Autorest.HttpOperationException h
            ? $"HTTP {(int)h.Response.StatusCode}: {Truncate(h.Response.Content)}"
            : error.Message;
        var previous = PoolConditions.Find(pool.Status, PoolConditions.Degraded);
        try
        {
            await WriteStatusAsync(pool, PoolStatusCalculator.ApplyFailed(pool, message, Now), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            logger.LogDebug("Could not write the ApplyFailed status of {Pool}: {Error}", pool.Metadata.Name, e.Message);
        }
        if (previous?.Reason != PoolConditions.Reasons.ApplyFailed)
            await events.RecordAsync(pool, EventTypes.Warning, PoolConditions.Reasons.ApplyFailed, "Apply", message,
                cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A Warning event and a log line when a prerequisite goes missing (not on every retry).</summary>
    public async Task MissingAsync(WebSocketPool pool, IReadOnlyList<ClusterPrerequisite> missing, V1Condition? previousDegraded,
        CancellationToken cancellationToken)
    {
        var reason = missing[0].Reason;
        var message = PoolStatusCalculator.MissingMessage(missing);
        if (previousDegraded is { Status: "True" } && previousDegraded.Reason == reason && previousDegraded.Message == message) return;
        logger.LogWarning("Pool {Namespace}/{Pool} waits for the cluster: {Message}", pool.Metadata.NamespaceProperty,
            pool.Metadata.Name, message);
        await events.RecordAsync(pool, EventTypes.Warning, reason, "Apply", message, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The Normal event that lists what a reconcile changed, and the same in the log.</summary>
    public async Task ChangedAsync(WebSocketPool pool, IReadOnlyList<string> changes, CancellationToken cancellationToken)
    {
        if (changes.Count == 0) return;
        logger.LogInformation("Reconciled pool {Namespace}/{Pool}: {Changes}", pool.Metadata.NamespaceProperty, pool.Metadata.Name,
            string.Join(", ", changes));
        await events.RecordAsync(pool, EventTypes.Normal, PoolConditions.Reasons.Reconciled, "Apply",
            $"Generation {pool.Metadata.Generation}: {string.Join(", ", changes)}", cancellationToken).ConfigureAwait(false);
    }

    private static string Truncate(string? s) => s is null ? "" : s.Length > 300 ? s[..300] : s;
}
