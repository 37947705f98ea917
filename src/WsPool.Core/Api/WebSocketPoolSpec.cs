using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using k8s.Models;

namespace WsPool.Core.Api;

[Description("The desired state of a WebSocketPool.")]
[CelRule("!has(self.minReplicas) || !has(self.maxReplicas) || self.minReplicas <= self.maxReplicas", "minReplicas must be less than or equal to maxReplicas",
    Reason = CelRuleReason.FieldValueInvalid)]
[CelRule("!has(self.replicas) || !has(self.minReplicas) || !has(self.maxReplicas) || (self.replicas >= self.minReplicas && self.replicas <= self.maxReplicas)", "replicas must lie between minReplicas and maxReplicas",
    FieldPath = ".replicas", Reason = CelRuleReason.FieldValueInvalid)]
[CelRule("!has(self.balancer) || !has(self.balancer.layer) || self.balancer.layer != 'L4' || !has(self.affinity) || !has(self.affinity.type) || (self.affinity.type != 'Cookie' && self.affinity.type != 'Header' && self.affinity.type != 'QueryParam')",
    "Cookie, Header and QueryParam affinity read HTTP and need spec.balancer.layer L7; an L4 balancer can only use None or ClientIP",
    FieldPath = ".affinity.type", Reason = CelRuleReason.FieldValueInvalid)]
[CelRule("!has(self.affinity) || !has(self.affinity.hashBalanceFactor) || !has(self.affinity.type) || (self.affinity.type != 'ClientIP' && self.affinity.type != 'Header' && self.affinity.type != 'QueryParam') || !has(self.balancer) || !has(self.balancer.type) || self.balancer.type == 'HAProxy'",
    "only the HAProxy balancer can bound hash load (hash-balance-factor); remove it or use balancer type HAProxy",
    FieldPath = ".affinity.hashBalanceFactor", Reason = CelRuleReason.FieldValueInvalid)]
[CelRule("!has(self.balancer) || !has(self.balancer.type) || self.balancer.type != 'Gateway' || !has(self.affinity) || !has(self.affinity.type) || (self.affinity.type != 'ClientIP' && self.affinity.type != 'QueryParam')",
    "an HTTPRoute's sessionPersistence pins by Cookie or Header only; use one of them or a managed balancer",
    FieldPath = ".affinity.type", Reason = CelRuleReason.FieldValueInvalid)]
[CelRule("!has(self.balancer) || !has(self.balancer.type) || self.balancer.type != 'Gateway' || !has(self.affinity) || !has(self.affinity.type) || self.affinity.type != 'Cookie' || !has(self.affinity.cookie) || !has(self.affinity.cookie.secure) || !self.affinity.cookie.secure",
    "an HTTPRoute's sessionPersistence cannot set cookie attributes (the gateway decides them); remove secure",
    FieldPath = ".affinity.cookie.secure", Reason = CelRuleReason.FieldValueForbidden)]
[CelRule("!has(self.scaling) || !has(self.scaling.metrics) || !has(self.scaling.metrics.source) || self.scaling.metrics.source != 'Balancer' || !has(self.balancer) || !has(self.balancer.type) || self.balancer.type == 'HAProxy'",
    "Balancer reads the managed HAProxy's per-server sessions and needs spec.balancer.type HAProxy; use Pods",
    FieldPath = ".scaling.metrics.source", Reason = CelRuleReason.FieldValueInvalid)]
[CelRule("!has(self.scaling) || !has(self.scaling.metrics) || !has(self.scaling.metrics.port) || (has(self.scaling.metrics.source) ? self.scaling.metrics.source == 'Pods' : (has(self.balancer) && has(self.balancer.type) && self.balancer.type != 'HAProxy'))",
    "only applies when the metrics source is Pods",
    FieldPath = ".scaling.metrics.port", Reason = CelRuleReason.FieldValueForbidden)]
[CelRule(PortRuleText.Port, PortRuleText.Message, FieldPath = ".port", Reason = CelRuleReason.FieldValueInvalid)]
[CelRule(PortRuleText.MetricsPort, PortRuleText.Message, FieldPath = ".scaling.metrics.port", Reason = CelRuleReason.FieldValueInvalid)]
[CelRule(PortRuleText.AdminPort, PortRuleText.Message, FieldPath = ".scaling.rebalance.adminPort", Reason = CelRuleReason.FieldValueInvalid)]
public sealed class WebSocketPoolSpec
{
    [JsonPropertyName("template")]
    [Required]
    [Description("The backend pod template, as in a Deployment: image, env, resources, probes. The operator adds its labels, the broker variable, a preStop hook and the termination grace period that cover the drain window.")]
    public V1PodTemplateSpec Template { get; set; } = new();

    [JsonPropertyName("port")]
    [Description("The container port that serves WebSockets: a number (1-65535) or the name of a container port in the template. Default 8080.")]
    public IntOrString Port { get; set; } = 8080;

    [JsonPropertyName("path")]
    [RegularExpression(Grammars.PathPattern)]
    [MaxLength(256)]
    [Description("The HTTP path on which clients open WebSockets. Default /ws.")]
    public string Path { get; set; } = "/ws";

    [JsonPropertyName("replicas")]
    [Range(0, 10000)]
    [Description("The fixed number of backend pods when autoscaling is off; the scale subresource (kubectl scale) sets it. Ignored while spec.scaling.enabled is true. Defaults to minReplicas when unset.")]
    public int? Replicas { get; set; }

    [JsonPropertyName("minReplicas")]
    [Range(0, 10000)]
    [Description("The fewest backend pods the pool may run. Default 1.")]
    public int MinReplicas { get; set; } = 1;

    [JsonPropertyName("maxReplicas")]
    [Range(1, 10000)]
    [Description("The most backend pods the pool may run; also the number of server slots the HAProxy balancer reserves. Default 10.")]
    public int MaxReplicas { get; set; } = 10;

    [JsonPropertyName("connections")]
    [Description("How many WebSocket connections one backend pod should and may hold.")]
    public ConnectionsSpec Connections { get; set; } = new();

    [JsonPropertyName("healthCheck")]
    [Description("How the balancer checks the health of backend pods.")]
    public HealthCheckSpec HealthCheck { get; set; } = new();

    [JsonPropertyName("scaling")]
    [Description("Autoscaling on live connection counts, with pre-warm, stabilization windows and rate limits.")]
    public ScalingSpec Scaling { get; set; } = new();

    [JsonPropertyName("drain")]
    [Description("How a backend pod closes its connections when it is removed or replaced.")]
    public DrainSpec Drain { get; set; } = new();

    [JsonPropertyName("rollout")]
    [Description("How a template change rolls out: connection-aware (each client moved once, at a paced rate) or the plain Deployment rolling update.")]
    public RolloutSpec Rollout { get; set; } = new();

    [JsonPropertyName("affinity")]
    [Description("Session affinity: how the balancer pins a client to one backend pod.")]
    public AffinitySpec Affinity { get; set; } = new();

    [JsonPropertyName("timeouts")]
    [Description("Balancer timeouts, as durations such as 5s, 1m or 1h. The defaults suit long-lived WebSockets.")]
    public TimeoutsSpec Timeouts { get; set; } = new();

    [JsonPropertyName("balancer")]
    [Description("What sits in front of the pool: a managed HAProxy or NGINX, an Ingress for an existing controller, or a Gateway API HTTPRoute.")]
    public BalancerSpec Balancer { get; set; } = new();

    [JsonPropertyName("broker")]
    [Description("An optional Redis broker for broadcasting messages across backend pods.")]
    public BrokerSpec Broker { get; set; } = new();
}
