using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using k8s.Models;

namespace WsPool.Core.Api;

[Description("Autoscaling on live WebSocket connections.")]
[CelRule("!has(self.rebalance) || !has(self.rebalance.enabled) || !self.rebalance.enabled || (has(self.enabled) && self.enabled)",
    "needs spec.scaling.enabled: rebalancing runs in the autoscaler's poll, which reads the connection counts",
    FieldPath = ".rebalance.enabled", Reason = CelRuleReason.FieldValueInvalid)]
[CelRule("!has(self.enabled) || !self.enabled || !has(self.scaleUp) || !has(self.scaleUp.maxPods) || !has(self.scaleUp.maxPercent) || self.scaleUp.maxPods != 0 || self.scaleUp.maxPercent != 0",
    "maxPods and maxPercent are both 0, so the pool could never grow",
    FieldPath = ".scaleUp", Reason = CelRuleReason.FieldValueInvalid)]
public sealed class ScalingSpec
{
    [JsonPropertyName("enabled")]
    [Description("When true the operator owns the backend replicas and sizes the pool from live connections; when false it follows spec.replicas. Default false.")]
    public bool Enabled { get; set; }

    [JsonPropertyName("pollInterval")]
    [RegularExpression(DurationAttribute.Pattern)]
    [Duration]
    [Description("How often live connection counts are read. Default 2s.")]
    public string PollInterval { get; set; } = "2s";

    [JsonPropertyName("metrics")]
    [Description("Where live connection counts come from.")]
    public ConnectionMetricsSpec Metrics { get; set; } = new();

    [JsonPropertyName("prewarm")]
    [Description("Warm capacity kept ahead of demand: the larger of the pod count and the percentage wins.")]
    public PrewarmSpec Prewarm { get; set; } = new();

    [JsonPropertyName("podStartupTime")]
    [RegularExpression(DurationAttribute.Pattern)]
    [Duration]
    [Description("How long a new backend pod takes from creation to Ready. When unset it is measured from the pool's own pods. Used by rate-aware pre-warm.")]
    public string? PodStartupTime { get; set; }

    [JsonPropertyName("tolerancePercent")]
    [Range(0, 100)]
    [Description("Changes smaller than this percentage of the current size are ignored, against flapping. Default 10.")]
    public int TolerancePercent { get; set; } = 10;

    [JsonPropertyName("scaleUp")]
    [Description("How fast the pool grows. Default: at once, by up to 4 pods or 100% per 15s, whichever is more.")]
    public ScalingRulesSpec ScaleUp { get; set; } = new();

    [JsonPropertyName("scaleDown")]
    [Description("How fast the pool shrinks. Default: after a 300s stabilization window, by up to 1 pod or 10% per 60s, whichever is more.")]
    public ScaleDownRulesSpec ScaleDown { get; set; } = new();

    [JsonPropertyName("rebalance")]
    [Description("Shedding connections from hot pods after a scale-out so clients reconnect onto emptier pods. Off by default.")]
    public RebalanceSpec Rebalance { get; set; } = new();
}

[Description("Where the operator reads live connection counts.")]
public sealed class ConnectionMetricsSpec
{
    [JsonPropertyName("source")]
    [Description("Balancer reads per-server sessions from the managed HAProxy's Prometheus endpoint; Pods scrapes each ready backend pod. Default Balancer for a managed HAProxy, otherwise Pods.")]
    public MetricsSource? Source { get; set; }

    [JsonPropertyName("port")]
    [Description("The pod port (number or name) that serves the metrics when source is Pods. Defaults to the WebSocket port.")]
    public IntOrString? Port { get; set; }

    [JsonPropertyName("path")]
    [RegularExpression(Grammars.PathPattern)]
    [MaxLength(256)]
    [Description("The HTTP path of the Prometheus text endpoint on each pod. Default /metrics.")]
    public string Path { get; set; } = "/metrics";

    [JsonPropertyName("metricName")]
    [RegularExpression("^[a-zA-Z_:][a-zA-Z0-9_:]*$")]
    [MaxLength(128)]
    [Description("The gauge that holds the open connections of a pod. Default websocket_connections.")]
    public string MetricName { get; set; } = "websocket_connections";
}

[JsonConverter(typeof(JsonStringEnumConverter<MetricsSource>))]
public enum MetricsSource
{
    Balancer,
    Pods,
}

[Description("Warm capacity kept ahead of demand, like Agones' buffer autoscaler.")]
public sealed class PrewarmSpec
{
    [JsonPropertyName("pods")]
    [Range(0, 1000)]
    [Description("Spare pods kept beyond what current connections need. They absorb a surge until new pods are Ready: pods × limit should cover the arrival rate × (pod start-up time + poll interval). Default 4 (about 330 new connections/s for 20s at the default limit of 2000).")]
    public int Pods { get; set; } = 4;

    [JsonPropertyName("percent")]
    [Range(0, 1000)]
    [Description("Spare capacity as a percentage of the pods current connections need. Default 10.")]
    public int Percent { get; set; } = 10;

    [JsonPropertyName("rateAware")]
    [Description("While connections are rising, also add the capacity the current arrival rate will need during one pod start-up time. Default true.")]
    public bool RateAware { get; set; } = true;
}

[Description("Stabilization and rate limits for one scaling direction.")]
public class ScalingRulesSpec
{
    [JsonPropertyName("stabilizationWindow")]
    [RegularExpression(DurationAttribute.Pattern)]
    [Duration]
    [Description("Recommendations within this window are considered; when shrinking, the highest wins (as in HPA).")]
    public string StabilizationWindow { get; set; } = "0s";

    [JsonPropertyName("maxPods")]
    [Range(0, 10000)]
    [Description("At most this many pods are added or removed per period (the larger of maxPods and maxPercent applies).")]
    public int MaxPods { get; set; } = 4;

    [JsonPropertyName("maxPercent")]
    [Range(0, 1000)]
    [Description("At most this percentage of the current pods is added or removed per period.")]
    public int MaxPercent { get; set; } = 100;

    [JsonPropertyName("period")]
    [RegularExpression(DurationAttribute.Pattern)]
    [Duration]
    [Description("The period the step limits apply to.")]
    public string Period { get; set; } = "15s";
}

[Description("Rebalancing after a scale-out: the hottest pods shed the fewest connections that bring the pool within maxToMinPercent; the shed clients reconnect onto the coolest pods through the balancer.")]
public sealed class RebalanceSpec
{
    [JsonPropertyName("enabled")]
    [Description("Turn rebalancing on. It runs in the autoscaler's poll, so it needs spec.scaling.enabled. Default false.")]
    public bool Enabled { get; set; }

    [JsonPropertyName("maxToMinPercent")]
    [Range(110, 1000)]
    [Description("The evenness to reach: the most connections on a pod at most this percentage of the fewest on a pod (150 means max/min <= 1.5). Shedding starts when the pool has been above it for window, sheds the fewest connections that bring it back within it, and stops. A pool that cannot get within it (fewer connections than pods, or too few to divide) is as even as it gets when max - min <= 1. Default 150.")]
    public int MaxToMinPercent { get; set; } = DefaultMaxToMinPercent;

    [JsonPropertyName("window")]
    [RegularExpression(DurationAttribute.Pattern)]
    [Duration]
    [Description("How long max/min must stay above maxToMinPercent before shedding starts; also the longest the operator waits after a shed for the shed clients to reconnect (the pool's total to recover) before it sheds again. Default 60s.")]
    public string Window { get; set; } = "60s";

    [JsonPropertyName("maxShedPercentPerMinute")]
    [Range(1, 100)]
    [Description("At most this percentage of the pool's connections is shed per minute. Default 5.")]
    public int MaxShedPercentPerMinute { get; set; } = 5;

    [JsonPropertyName("batchSize")]
    [Range(1, 10000)]
    [Description("At most this many connections are shed from one pod per poll (one request to the pod). Default 50.")]
    public int BatchSize { get; set; } = 50;

    [JsonPropertyName("adminPort")]
    [Description("The backend pod port (a number 1-65535 or the name of a container port in the template) where the operator sends POST /shed?count=N, the backend's shed contract (close code 1012). A port the balancer never forwards to: it must differ from spec.port. The sample chat server listens on 9091 (WSPOOL_ADMIN_PORT). Default 9091.")]
    public IntOrString AdminPort { get; set; } = DefaultAdminPort;

    /// <summary>max/min ≤ 1.5, the goal for a pool after a scale-out.</summary>
    public const int DefaultMaxToMinPercent = 150;

    /// <summary>The sample chat server's admin port (its WSPOOL_ADMIN_PORT default).</summary>
    public const int DefaultAdminPort = 9091;
}

/// <summary>
/// The scale-down rules. A type of its own so that a partly written <c>scaleDown</c> section is completed with the
/// scale-down defaults (300s, 1 pod or 10% per 60s) by every reader — YAML, JSON and the API server's CRD defaulting
/// alike — rather than with the scale-up defaults of a fresh <see cref="ScalingRulesSpec"/>.
/// </summary>
[Description("Stabilization and rate limits for shrinking the pool.")]
public sealed class ScaleDownRulesSpec : ScalingRulesSpec
{
    public ScaleDownRulesSpec()
    {
        StabilizationWindow = "300s";
        MaxPods = 1;
        MaxPercent = 10;
        Period = "60s";
    }
}
