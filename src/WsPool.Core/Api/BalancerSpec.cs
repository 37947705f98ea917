using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

namespace WsPool.Core.Api;

[Description("The balancer in front of the pool.")]
[CelRule("!has(self.type) || self.type != 'Ingress' || has(self.ingress)", "ingress is required when type is Ingress",
    FieldPath = ".ingress", Reason = CelRuleReason.FieldValueRequired)]
[CelRule("!has(self.type) || self.type != 'Gateway' || has(self.gateway)", "gateway is required when type is Gateway",
    FieldPath = ".gateway", Reason = CelRuleReason.FieldValueRequired)]
[CelRule("!has(self.ingress) || (has(self.type) && self.type == 'Ingress')", "only applies when type is Ingress",
    FieldPath = ".ingress", Reason = CelRuleReason.FieldValueForbidden)]
[CelRule("!has(self.gateway) || (has(self.type) && self.type == 'Gateway')", "only applies when type is Gateway",
    FieldPath = ".gateway", Reason = CelRuleReason.FieldValueForbidden)]
[CelRule("!has(self.layer) || self.layer != 'L4' || !has(self.type) || self.type == 'HAProxy' || self.type == 'Nginx'",
    "L4 needs a managed balancer (HAProxy or Nginx)",
    FieldPath = ".layer", Reason = CelRuleReason.FieldValueInvalid)]
[CelRule("!has(self.image) || !has(self.type) || self.type == 'HAProxy' || self.type == 'Nginx'",
    "only applies to a managed balancer (HAProxy or Nginx)",
    FieldPath = ".image", Reason = CelRuleReason.FieldValueForbidden)]
[CelRule("!has(self.nginxVersion) || (has(self.type) && self.type == 'Nginx')",
    "only applies when type is Nginx",
    FieldPath = ".nginxVersion", Reason = CelRuleReason.FieldValueForbidden)]
[CelRule("!has(self.port) || !has(self.type) || self.type == 'HAProxy' || self.type == 'Nginx'",
    "only applies to a managed balancer (HAProxy or Nginx)",
    FieldPath = ".port", Reason = CelRuleReason.FieldValueForbidden)]
[CelRule("!has(self.tls) || !has(self.type) || self.type != 'Gateway'",
    "does not apply to Gateway: TLS terminates at the Gateway's listener (see parentRefs[*].sectionName)",
    FieldPath = ".tls", Reason = CelRuleReason.FieldValueForbidden)]
[CelRule("!has(self.tls) || !has(self.tls.redirectHttp) || !self.tls.redirectHttp || !has(self.layer) || self.layer != 'L4' || (has(self.type) && self.type == 'Gateway')",
    "needs layer L7: an L4 balancer cannot answer HTTP with a redirect",
    FieldPath = ".tls.redirectHttp", Reason = CelRuleReason.FieldValueInvalid)]
[CelRule("!has(self.plainHttp) || self.plainHttp != 'Reject' || ((!has(self.type) || self.type == 'HAProxy' || self.type == 'Nginx') && (!has(self.layer) || self.layer != 'L4'))",
    "Reject needs a managed balancer (HAProxy or Nginx) at layer L7",
    FieldPath = ".plainHttp", Reason = CelRuleReason.FieldValueInvalid)]
public sealed class BalancerSpec
{
    [JsonPropertyName("type")]
    [Description("HAProxy and Nginx are managed by the operator (a Deployment with a generated config); Ingress configures an existing ingress controller; Gateway creates a Gateway API HTTPRoute. Default HAProxy.")]
    public BalancerType Type { get; set; } = BalancerType.HAProxy;

    [JsonPropertyName("layer")]
    [Description("L7 routes HTTP upgrades on the path; L4 balances raw TCP for users who terminate WebSockets elsewhere (managed balancers only). Default L7.")]
    public BalancerLayer Layer { get; set; } = BalancerLayer.L7;

    [JsonPropertyName("replicas")]
    [Range(1, 100)]
    [Description("Replicas of a managed balancer. Default 2.")]
    public int Replicas { get; set; } = 2;

    [JsonPropertyName("image")]
    [RegularExpression(Grammars.ImagePattern)]
    [MaxLength(512)]
    [Description("The image of a managed balancer. Default haproxy:3.2 for HAProxy, nginx:1.30 for Nginx.")]
    public string? Image { get; set; }

    [JsonPropertyName("nginxVersion")]
    [RegularExpression("^[0-9]{1,3}\\.[0-9]{1,3}(\\.[0-9]{1,3})?$")]
    [MaxLength(11)]
    [Description("The NGINX version the Nginx balancer's image runs, which decides what the config may use (sticky cookie affinity needs 1.29.6 or newer). Unset means the version in the image tag (nginx:1.29.6 is 1.29.6; nginx:1.30 is read as 1.30.0), or 1.30.0 for the default image nginx:1.30.")]
    public string? NginxVersion { get; set; }

    [JsonPropertyName("serviceType")]
    [Description("The type of a managed balancer's Service: ClusterIP, NodePort or LoadBalancer. Default LoadBalancer.")]
    public BalancerServiceType ServiceType { get; set; } = BalancerServiceType.LoadBalancer;

    [JsonPropertyName("port")]
    [Range(1, 65535)]
    [Description("The port the balancer Service listens on for clients. Default 80, or 443 with TLS.")]
    public int? Port { get; set; }

    [JsonPropertyName("plainHttp")]
    [Description("What a managed L7 balancer does with a plain (non-upgrade) HTTP request on the WebSocket path: Forward it to the pool (for long-polling fallbacks) or Reject it with 400. Default Forward.")]
    public PlainHttpPolicy PlainHttp { get; set; } = PlainHttpPolicy.Forward;

    [JsonPropertyName("tls")]
    [Description("TLS termination at the balancer.")]
    public TlsSpec? Tls { get; set; }

    [JsonPropertyName("ingress")]
    [Description("The Ingress for an existing controller, used when type is Ingress.")]
    public IngressBalancerSpec? Ingress { get; set; }

    [JsonPropertyName("gateway")]
    [Description("The Gateway API HTTPRoute, used when type is Gateway.")]
    public GatewayBalancerSpec? Gateway { get; set; }
}

[JsonConverter(typeof(JsonStringEnumConverter<BalancerType>))]
public enum BalancerType
{
    HAProxy,
    Nginx,
    Ingress,
    Gateway,
}

[JsonConverter(typeof(JsonStringEnumConverter<BalancerLayer>))]
public enum BalancerLayer
{
    L7,
    L4,
}

[JsonConverter(typeof(JsonStringEnumConverter<BalancerServiceType>))]
public enum BalancerServiceType
{
    ClusterIP,
    NodePort,
    LoadBalancer,
}

[JsonConverter(typeof(JsonStringEnumConverter<PlainHttpPolicy>))]
public enum PlainHttpPolicy
{
    Forward,
    Reject,
}

[Description("TLS termination.")]
public sealed class TlsSpec
{
    [JsonPropertyName("secretName")]
    [Required]
    [RegularExpression(Grammars.Dns1123SubdomainPattern)]
    [MaxLength(253)]
    [Description("A kubernetes.io/tls Secret in the pool's namespace holding the certificate and key.")]
    public string SecretName { get; set; } = "";

    [JsonPropertyName("redirectHttp")]
    [Description("Also listen on plain HTTP and redirect to HTTPS. Default false.")]
    public bool RedirectHttp { get; set; }
}

[Description("An Ingress for an existing ingress controller.")]
public sealed class IngressBalancerSpec
{
    [JsonPropertyName("controller")]
    [Description("Which controller reads the Ingress, so the right annotations are written: IngressNginx (kubernetes/ingress-nginx), HAProxyTech (haproxy.org), HAProxyIngress (haproxy-ingress.github.io) or AwsLoadBalancer (AWS Load Balancer Controller).")]
    public IngressController Controller { get; set; } = IngressController.IngressNginx;

    [JsonPropertyName("className")]
    [RegularExpression(Grammars.Dns1123SubdomainPattern)]
    [MaxLength(253)]
    [Description("spec.ingressClassName of the Ingress. Unset uses the cluster's default class.")]
    public string? ClassName { get; set; }

    [JsonPropertyName("host")]
    [RegularExpression(Grammars.HostnamePattern)]
    [MaxLength(253)]
    [Description("The host the Ingress rule matches. Unset matches every host.")]
    public string? Host { get; set; }
}

[JsonConverter(typeof(JsonStringEnumConverter<IngressController>))]
public enum IngressController
{
    IngressNginx,
    HAProxyTech,
    HAProxyIngress,
    AwsLoadBalancer,
}

[Description("A Gateway API HTTPRoute (gateway.networking.k8s.io/v1).")]
public sealed class GatewayBalancerSpec
{
    [JsonPropertyName("parentRefs")]
    [Required]
    [MinLength(1)]
    [MaxItems(32)]
    [Description("The Gateways the route attaches to.")]
    public List<GatewayParentRef> ParentRefs { get; set; } = [];

    [JsonPropertyName("hostnames")]
    [MaxItems(16)]
    [Items(Grammars.HostnamePattern, 253, Unique = true)]
    [Description("The hostnames the route matches. Empty matches the Gateway's listeners' hostnames.")]
    public List<string> Hostnames { get; set; } = [];
}

[Description("A reference to a Gateway.")]
public sealed class GatewayParentRef
{
    [JsonPropertyName("name")]
    [Required]
    [RegularExpression(Grammars.Dns1123SubdomainPattern)]
    [MaxLength(253)]
    [Description("The Gateway's name.")]
    public string Name { get; set; } = "";

    [JsonPropertyName("namespace")]
    [RegularExpression(Grammars.Dns1123LabelPattern)]
    [MaxLength(63)]
    [Description("The Gateway's namespace. Defaults to the pool's namespace.")]
    public string? Namespace { get; set; }

    [JsonPropertyName("sectionName")]
    [RegularExpression(Grammars.Dns1123SubdomainPattern)]
    [MaxLength(253)]
    [Description("A listener of the Gateway to attach to.")]
    public string? SectionName { get; set; }
}
