using System.ComponentModel;
using System.Text.Json.Serialization;

namespace WsPool.Core.Api;

[Description("A connection-aware rollout in progress.")]
public sealed class RolloutStatus
{
    [JsonPropertyName("phase")]
    [Description("PreWarming: the new revision is starting. Switching: the balancer is being turned to the new revision only. Draining: old pods' clients are being moved at the paced rate.")]
    public string Phase { get; set; } = "";

    [JsonPropertyName("revision")]
    [Description("The pod-template-hash of the new revision, once its ReplicaSet exists.")]
    public string? Revision { get; set; }

    [JsonPropertyName("servingRevision")]
    [Description("The revision the backend Services select, and so the only one the balancer sends new connections to; absent: every backend pod.")]
    public string? ServingRevision { get; set; }

    [JsonPropertyName("startedAt")]
    [Description("When the operator took the old revision over from the Deployment.")]
    public DateTime? StartedAt { get; set; }

    [JsonPropertyName("switchedAt")]
    [Description("When the backend Services were turned to the new revision only.")]
    public DateTime? SwitchedAt { get; set; }

    [JsonPropertyName("oldPods")]
    [Description("Pods of old revisions that still exist.")]
    public int OldPods { get; set; }

    [JsonPropertyName("oldConnections")]
    [Description("Connections still on old-revision pods, as they last reported them.")]
    public long? OldConnections { get; set; }

    [JsonPropertyName("newConnections")]
    [Description("Connections on new-revision pods, from the autoscaler's last reading (absent when scaling is off).")]
    public long? NewConnections { get; set; }

    [JsonPropertyName("reconnectsPerSecond")]
    [Description("Clients of old pods asked to reconnect per second, over the last 5 seconds.")]
    public double ReconnectsPerSecond { get; set; }

    [JsonPropertyName("maxReconnectsPerSecond")]
    [Description("The bound the pacing keeps to: spec.rollout.maxReconnectsPerSecond or its default.")]
    public int MaxReconnectsPerSecond { get; set; }
}
