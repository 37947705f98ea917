using System.ComponentModel;
using System.Text.Json.Serialization;
using k8s.Models;

namespace WsPool.Core.Api;

[Description("The observed state of a WebSocketPool.")]
public sealed class WebSocketPoolStatus
{
    [JsonPropertyName("observedGeneration")]
    [Description("The metadata.generation this status describes.")]
    public long? ObservedGeneration { get; set; }

    [JsonPropertyName("replicas")]
    [Description("Backend pods that exist (the scale subresource's status path).")]
    public int Replicas { get; set; }

    [JsonPropertyName("readyReplicas")]
    [Description("Backend pods that are ready.")]
    public int ReadyReplicas { get; set; }

    [JsonPropertyName("desiredReplicas")]
    [Description("Backend pods the operator wants: spec.replicas, or the autoscaler's decision.")]
    public int? DesiredReplicas { get; set; }

    [JsonPropertyName("connections")]
    [Description("Live WebSocket connections from the last poll that could read them. Rewritten only when a count changes, so a steady pool's status is not rewritten every poll; a failed reading leaves the last counts (the Scaling condition says so).")]
    public ConnectionsStatus? Connections { get; set; }

    [JsonPropertyName("lastScaleTime")]
    [Description("When the operator last changed the backend replicas.")]
    public DateTime? LastScaleTime { get; set; }

    [JsonPropertyName("selector")]
    [Description("The label selector of the backend pods, in string form (the scale subresource's selector path).")]
    public string? Selector { get; set; }

    [JsonPropertyName("rollout")]
    [Description("The connection-aware rollout in progress; absent when none is.")]
    public RolloutStatus? Rollout { get; set; }

    [JsonPropertyName("conditions")]
    [MaxItems(16)]
    [Description("Ready, Progressing, Degraded and Scaling, in the standard metav1.Condition shape.")]
    public List<V1Condition>? Conditions { get; set; }
}

[Description("Live connections over the pool.")]
public sealed class ConnectionsStatus
{
    /// <summary>Pods listed in status at most; a pool larger than this reports its busiest pods.</summary>
    public const int MaxPodsListed = 50;

    [JsonPropertyName("total")]
    [Description("Live connections over every pod.")]
    public long Total { get; set; }

    [JsonPropertyName("sampledAt")]
    [Description("When these counts last changed: the poll that first read them. A steady pool keeps an old time, so this is not the time of the latest poll; the Scaling condition tells whether readings are current.")]
    public DateTime? SampledAt { get; set; }

    [JsonPropertyName("pods")]
    [MaxItems(MaxPodsListed)]
    [Description("Live connections per pod, busiest first, at most 50 entries.")]
    public List<PodConnections>? Pods { get; set; }
}

[Description("Live connections on one pod.")]
public sealed class PodConnections
{
    [JsonPropertyName("name")]
    [Description("The pod's name.")]
    public string Name { get; set; } = "";

    [JsonPropertyName("connections")]
    [Description("Its live connections.")]
    public long Connections { get; set; }
}
