using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using WsPool.Core.Api;
using WsPool.Core.Status;
using WsPool.Operator.Kubernetes;

namespace WsPool.Operator.Reconciling;

/// <summary>
/// Writes events.k8s.io/v1 Events about pools: what a user should see in `kubectl describe` / `kubectl events`.
/// Failing to record an event never fails a reconcile.
/// </summary>
public sealed class EventRecorder(IKubernetes client, string instance, TimeProvider clock, ILogger<EventRecorder> logger)
{
    public const string Normal = EventTypes.Normal;
    public const string Warning = EventTypes.Warning;

    public async Task RecordAsync(WebSocketPool pool, string type, string reason, string action, string note,
        CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var ns = pool.Metadata.NamespaceProperty ?? "default";
        var evt = EventObject.About(
            new V1ObjectReference
            {
                ApiVersion = pool.ApiVersion,
                Kind = pool.Kind,
                Name = pool.Metadata.Name,
                NamespaceProperty = ns,
                Uid = pool.Metadata.Uid,
                ResourceVersion = pool.Metadata.ResourceVersion,
            },
            now, FieldManager.ReportingController, instance, type, reason, action, note);
        try
        {
            await client.EventsV1.CreateNamespacedEventAsync(evt, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning("Could not record event {Reason} for pool {Namespace}/{Pool}: {Error}",
                reason, ns, pool.Metadata.Name, e.Message);
        }
    }
}
