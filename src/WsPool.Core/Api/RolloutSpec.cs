using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

namespace WsPool.Core.Api;

[Description("How a change to the pod template reaches the running pods.")]
public sealed class RolloutSpec
{
    [JsonPropertyName("strategy")]
    [Description("ConnectionAware: the new revision is brought up in full first, the balancer stops sending new connections to the old pods, and the old pods' clients are moved at a paced rate, each once, onto the new revision. RollingUpdate: the plain Deployment rolling update (maxSurge 25%, maxUnavailable 0), in which a client can reconnect several times. Default ConnectionAware.")]
    public RolloutStrategy Strategy { get; set; } = RolloutStrategy.ConnectionAware;

    [JsonPropertyName("maxReconnectsPerSecond")]
    [Range(1, 1000000)]
    [Description("ConnectionAware only: at most this many clients of old pods are asked to reconnect per second. Default: the pool's target capacity (connections.target x replicas) per minute.")]
    public int? MaxReconnectsPerSecond { get; set; }
}

[JsonConverter(typeof(JsonStringEnumConverter<RolloutStrategy>))]
public enum RolloutStrategy
{
    ConnectionAware,
    RollingUpdate,
}
