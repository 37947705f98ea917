using System.ComponentModel;
using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace WsPool.Core.Api;

/// <summary>The WebSocketPool custom resource: a pool of WebSocket backend pods and the balancer in front of it.</summary>
[KubernetesEntity(Group = Group, ApiVersion = Version, Kind = KindName, PluralName = Plural)]
[Description("WebSocketPool describes a pool of WebSocket backend pods, the balancer in front of them, and how the pool scales on live connection counts.")]
[PrinterColumn("Balancer", "string", ".spec.balancer.type", Description = "The balancer kind in front of the pool.")]
[PrinterColumn("Affinity", "string", ".spec.affinity.type", Description = "How clients are pinned to backend pods.")]
[PrinterColumn("Ready", "integer", ".status.readyReplicas", Description = "Backend pods that are ready.")]
[PrinterColumn("Desired", "integer", ".status.desiredReplicas", Description = "Backend pods the operator wants.")]
[PrinterColumn("Connections", "integer", ".status.connections.total", Description = "Live WebSocket connections over the pool.")]
[PrinterColumn("Rollout", "string", ".status.rollout.phase", Description = "The phase of a connection-aware rollout in progress.")]
[PrinterColumn("Old-Conns", "integer", ".status.rollout.oldConnections", Description = "Connections still on old-revision pods during a rollout.", Priority = 1)]
[PrinterColumn("Moves/s", "number", ".status.rollout.reconnectsPerSecond", Description = "Clients of old pods asked to reconnect per second, over the last 5 seconds.", Priority = 1)]
[PrinterColumn("Age", "date", ".metadata.creationTimestamp")]
public sealed class WebSocketPool : IKubernetesObject<V1ObjectMeta>, ISpec<WebSocketPoolSpec>
{
    public const string Group = "wspool.dev";
    public const string Version = "v1alpha1";
    public const string KindName = "WebSocketPool";
    public const string Plural = "websocketpools";
    public const string Singular = "websocketpool";
    public const string ShortName = "wsp";
    public const string GroupVersion = Group + "/" + Version;

    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = GroupVersion;

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = KindName;

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    [JsonPropertyName("spec")]
    [Description("The desired pool: backend pods, balancer, affinity, timeouts, scaling and drain behaviour.")]
    public WebSocketPoolSpec Spec { get; set; } = new();

    [JsonPropertyName("status")]
    [Description("What the operator last observed of the pool.")]
    public WebSocketPoolStatus? Status { get; set; }
}
