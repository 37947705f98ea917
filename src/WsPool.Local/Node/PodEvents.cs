using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using WsPool.Operator.Kubernetes;

namespace WsPool.Local.Node;

/// <summary>
/// events.k8s.io/v1 Events about pods, as the kubelet records them (<c>kubectl events</c> shows them next to the
/// operator's): why a pod cannot start (ImageNotMapped, a missing Secret), backoffs, failed probes, reloads. Written
/// in the background; a failure to record one is logged and never affects the pod.
/// </summary>
internal sealed class PodEvents(IKubernetes client, string nodeName, ILogger logger)
{
    public const string ReportingController = "wspool.dev/local-node";

    public void Record(V1Pod pod, string type, string reason, string note) => _ = RecordAsync(pod, type, reason, note);

    public async Task RecordAsync(V1Pod pod, string type, string reason, string note)
    {
        var now = DateTime.UtcNow;
        var ns = pod.Metadata.NamespaceProperty ?? "default";
        var evt = EventObject.About(
            new V1ObjectReference { ApiVersion = "v1", Kind = "Pod", Name = pod.Metadata.Name, NamespaceProperty = ns, Uid = pod.Metadata.Uid },
            now, ReportingController, nodeName, type, reason, action: reason, note);
        try
        {
            await client.EventsV1.CreateNamespacedEventAsync(evt, ns);
        }
        catch (Exception e)
        {
            logger.LogWarning("Could not record event {Reason} for pod {Namespace}/{Pod}: {Error}", reason, ns, pod.Metadata.Name, e.Message);
        }
    }
}
