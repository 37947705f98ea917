using k8s;
using WsPool.Core.Api;

namespace WsPool.Core.Status;

/// <summary>Whether a computed status differs from the cached one: compared as the JSON the API would store.</summary>
public static class StatusDiff
{
    public static bool Differs(WebSocketPoolStatus? current, WebSocketPoolStatus desired) =>
        current is null || KubernetesJson.Serialize(current) != KubernetesJson.Serialize(desired);

    /// <summary>A deep copy to edit without touching the cached object (other writers' fields stay as they are).</summary>
    public static WebSocketPoolStatus Copy(WebSocketPoolStatus? status) =>
        status is null ? new WebSocketPoolStatus() : KubernetesJson.Deserialize<WebSocketPoolStatus>(KubernetesJson.Serialize(status));
}
