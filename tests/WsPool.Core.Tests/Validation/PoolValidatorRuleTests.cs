using k8s.Models;
using WsPool.Core.Api;
using WsPool.Core.Validation;

namespace WsPool.Core.Tests.Validation;

/// <summary>
/// One row per rule: a change that breaks it (the error must name the field and the rule) and a nearby change that
/// satisfies it (the pool must stay valid), both applied to an otherwise valid pool.
/// </summary>
public class PoolValidatorRuleTests
{
    public sealed record RuleCase(string Path, string Fragment, Action<WebSocketPool> Break, Action<WebSocketPool> Keep);

    private static V1Container App(WebSocketPool p) => p.Spec.Template.Spec.Containers[0];

    private static readonly Dictionary<string, RuleCase> Cases = new()
    {
        // metadata
        ["name required"] = new("metadata.name", "required", p => p.Metadata.Name = null, p => p.Metadata.Name = "a"),
        ["name fits suffixes"] = new("metadata.name", "at most 40", p => p.Metadata.Name = new string('a', 41), p => p.Metadata.Name = new string('a', 40)),
        ["name is a DNS label"] = new("metadata.name", "DNS-1123 label", p => p.Metadata.Name = "Chat_1", p => p.Metadata.Name = "chat-1"),
        ["namespace is a DNS label"] = new("metadata.namespace", "DNS-1123 label", p => p.Metadata.NamespaceProperty = "team.a", p => p.Metadata.NamespaceProperty = "team-a"),
        ["apiVersion"] = new("apiVersion", "wspool.dev/v1alpha1", p => p.ApiVersion = "wspool.dev/v1", p => p.ApiVersion = "wspool.dev/v1alpha1"),

        // template
        ["template required"] = new("spec.template", "required", p => p.Spec.Template = null!, p => { }),
        ["pod spec required"] = new("spec.template.spec", "required", p => { p.Spec.Template.Metadata = new V1ObjectMeta(); p.Spec.Template.Spec = null; }, p => { }),
        ["unwritten template required"] = new("spec.template", "required", p => p.Spec.Template = new V1PodTemplateSpec(), p => { }),
        ["at most 32 containers"] = new("spec.template.spec.containers", "at most 32 items",
            p => p.Spec.Template.Spec.Containers = [.. Enumerable.Range(0, 33).Select(i => new V1Container { Name = $"c{i}", Image = "busybox:1.36" })],
            p => p.Spec.Template.Spec.Containers.Add(new V1Container { Name = "sidecar", Image = "busybox:1.36" })),
        ["at least one container"] = new("spec.template.spec.containers", "at least 1 container", p => p.Spec.Template.Spec.Containers = [], p => { }),
        ["container name required"] = new("spec.template.spec.containers[0].name", "required", p => App(p).Name = null, p => App(p).Name = "x"),
        ["container name is a label"] = new("spec.template.spec.containers[0].name", "DNS-1123 label", p => App(p).Name = "App", p => App(p).Name = "app-2"),
        ["container names unique"] = new("spec.template.spec.containers[1].name", "unique",
            p => p.Spec.Template.Spec.Containers.Add(new V1Container { Name = "app", Image = "busybox:1.36" }),
            p => p.Spec.Template.Spec.Containers.Add(new V1Container { Name = "sidecar", Image = "busybox:1.36" })),
        ["container image required"] = new("spec.template.spec.containers[0].image", "required", p => App(p).Image = null, p => App(p).Image = "nginx"),
        ["container image grammar"] = new("spec.template.spec.containers[0].image", "image reference", p => App(p).Image = "app:1 ; rm -rf /", p => App(p).Image = "registry.example.com:5000/team/app:1.2.3"),
        ["container port name"] = new("spec.template.spec.containers[0].ports[0].name", "IANA service name",
            p => { App(p).Ports[0].Name = "web_socket"; p.Spec.Port = 8080; }, p => { App(p).Ports[0].Name = "web-socket"; p.Spec.Port = "web-socket"; }),
        ["container port number"] = new("spec.template.spec.containers[0].ports[0].containerPort", "between 1 and 65535",
            p => App(p).Ports[0].ContainerPort = 70000, p => App(p).Ports[0].ContainerPort = 65535),
        ["template labels leave the selector alone"] = new("spec.template.metadata.labels[app.kubernetes.io/instance]", "set by the operator",
            p => p.Spec.Template.Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app.kubernetes.io/instance"] = "x" } },
            p => p.Spec.Template.Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["team"] = "chat" } }),
        ["template label values"] = new("spec.template.metadata.labels[team]", "label value",
            p => p.Spec.Template.Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["team"] = "a b" } },
            p => p.Spec.Template.Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["team"] = "a.b_c-d" } }),
        ["template label keys"] = new("spec.template.metadata.labels[\"bad key\"]", "label key",
            p => p.Spec.Template.Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["bad key"] = "x" } },
            p => p.Spec.Template.Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["example.com/good-key"] = "x" } }),
        ["env var names"] = new("spec.template.spec.containers[0].env[0].name", "environment variable name",
            p => App(p).Env = [new V1EnvVar { Name = "1BAD", Value = "x" }], p => App(p).Env = [new V1EnvVar { Name = "GOOD_1", Value = "x" }]),
        ["env var does not shadow the broker"] = new("spec.template.spec.containers[0].env[0].name", "set by the broker",
            p => { p.Spec.Broker.Type = BrokerType.Managed; App(p).Env = [new V1EnvVar { Name = "WSPOOL_REDIS_URL", Value = "x" }]; },
            p => { p.Spec.Broker.Type = BrokerType.None; App(p).Env = [new V1EnvVar { Name = "WSPOOL_REDIS_URL", Value = "x" }]; }),
        ["restart policy"] = new("spec.template.spec.restartPolicy", "Always", p => p.Spec.Template.Spec.RestartPolicy = "Never", p => p.Spec.Template.Spec.RestartPolicy = "Always"),

        // port and path
        ["port number range"] = new("spec.port", "between 1 and 65535", p => p.Spec.Port = 0, p => p.Spec.Port = 65535),
        ["port number too high"] = new("spec.port", "between 1 and 65535", p => p.Spec.Port = 65536, p => p.Spec.Port = 1),
        ["port name declared"] = new("spec.port", "names no port", p => p.Spec.Port = "http", p => p.Spec.Port = "ws"),
        ["port name grammar"] = new("spec.port", "IANA service name", p => p.Spec.Port = "WS", p => p.Spec.Port = "ws"),
        ["path grammar"] = new("spec.path", "absolute URL path", p => p.Spec.Path = "/ws\nserver evil 1.2.3.4:80", p => p.Spec.Path = "/chat/v1.2_x~y-z"),
        ["path starts with slash"] = new("spec.path", "absolute URL path", p => p.Spec.Path = "ws", p => p.Spec.Path = "/"),
        ["path length"] = new("spec.path", "at most 256", p => p.Spec.Path = "/" + new string('a', 256), p => p.Spec.Path = "/" + new string('a', 255)),

        // replicas and connections (CEL rules and ranges)
        ["min <= max"] = new("spec", "minReplicas must be less than or equal to maxReplicas", p => { p.Spec.MinReplicas = 5; p.Spec.MaxReplicas = 2; }, p => { p.Spec.MinReplicas = 2; p.Spec.MaxReplicas = 2; }),
        ["replicas between min and max"] = new("spec.replicas", "replicas must lie between", p => p.Spec.Replicas = 11, p => p.Spec.Replicas = 10),
        ["replicas not below min"] = new("spec.replicas", "replicas must lie between", p => { p.Spec.MinReplicas = 2; p.Spec.Replicas = 1; }, p => { p.Spec.MinReplicas = 2; p.Spec.Replicas = 2; }),
        ["maxReplicas range"] = new("spec.maxReplicas", "between 1 and 10000", p => { p.Spec.MinReplicas = 0; p.Spec.MaxReplicas = 0; }, p => { p.Spec.MinReplicas = 0; p.Spec.MaxReplicas = 1; }),
        ["minReplicas range"] = new("spec.minReplicas", "between 0 and 10000", p => p.Spec.MinReplicas = -1, p => p.Spec.MinReplicas = 0),
        ["target <= limit"] = new("spec.connections", "target must be less than or equal to limit", p => p.Spec.Connections.Target = 3000, p => p.Spec.Connections.Target = 2000),
        ["connection limit range"] = new("spec.connections.limit", "between 1 and 1000000", p => { p.Spec.Connections.Target = 1; p.Spec.Connections.Limit = 0; }, p => { p.Spec.Connections.Target = 1; p.Spec.Connections.Limit = 1; }),

        // health check
        ["health path"] = new("spec.healthCheck.path", "absolute URL path", p => p.Spec.HealthCheck.Path = "/ready\"z", p => p.Spec.HealthCheck.Path = "/healthz"),
        ["health fall"] = new("spec.healthCheck.fall", "between 1 and 100", p => p.Spec.HealthCheck.Fall = 0, p => p.Spec.HealthCheck.Fall = 100),
        ["health interval bound"] = new("spec.healthCheck.interval", "between 100ms and 5m", p => p.Spec.HealthCheck.Interval = "10ms", p => p.Spec.HealthCheck.Interval = "100ms"),

        // durations
        ["duration grammar"] = new("spec.timeouts.tunnel", "must be a duration", p => p.Spec.Timeouts.Tunnel = "forever", p => p.Spec.Timeouts.Tunnel = "2h30m"),
        ["duration empty"] = new("spec.timeouts.connect", "must be a duration", p => p.Spec.Timeouts.Connect = "", p => p.Spec.Timeouts.Connect = "1s"),
        ["tunnel at least a second"] = new("spec.timeouts.tunnel", "between 1s and 7d", p => p.Spec.Timeouts.Tunnel = "500ms", p => p.Spec.Timeouts.Tunnel = "1s"),
        ["tunnel at most a week"] = new("spec.timeouts.tunnel", "between 1s and 7d", p => p.Spec.Timeouts.Tunnel = "8d", p => p.Spec.Timeouts.Tunnel = "7d"),
        ["drain timeout at most an hour"] = new("spec.drain.timeout", "between 0s and 1h", p => p.Spec.Drain.Timeout = "61m", p => { p.Spec.Drain.Timeout = "55m"; }),
        ["whole drain fits the grace period"] = new("spec.drain", "preStopDelay + timeout must be at most 1h", p => { p.Spec.Drain.Timeout = "1h"; p.Spec.Drain.PreStopDelay = "1s"; }, p => { p.Spec.Drain.Timeout = "59m"; p.Spec.Drain.PreStopDelay = "1m"; }),
        ["scaling poll interval"] = new("spec.scaling.pollInterval", "between 1s and 5m", p => p.Spec.Scaling.PollInterval = "100ms", p => p.Spec.Scaling.PollInterval = "1s"),
        ["cookie max age"] = new("spec.affinity.cookie.maxAge", "400 days", p => { p.Spec.Affinity.Type = AffinityType.Cookie; p.Spec.Affinity.Cookie = new() { MaxAge = "401d" }; }, p => { p.Spec.Affinity.Type = AffinityType.Cookie; p.Spec.Affinity.Cookie = new() { MaxAge = "400d" }; }),

        // affinity
        ["cookie name token"] = new("spec.affinity.cookie.name", "RFC 6265 token", p => { p.Spec.Affinity.Type = AffinityType.Cookie; p.Spec.Affinity.Cookie = new() { Name = "a;b\nserver evil 1.2.3.4:80" }; }, p => { p.Spec.Affinity.Type = AffinityType.Cookie; p.Spec.Affinity.Cookie = new() { Name = "SRV_ID.1-a" }; }),
        ["cookie name trailing newline"] = new("spec.affinity.cookie.name", "RFC 6265 token", p => { p.Spec.Affinity.Type = AffinityType.Cookie; p.Spec.Affinity.Cookie = new() { Name = "WSPOOL\n" }; }, p => { p.Spec.Affinity.Type = AffinityType.Cookie; p.Spec.Affinity.Cookie = new() { Name = "WSPOOL" }; }),
        ["cookie only with Cookie"] = new("spec.affinity.cookie", "only applies when type is Cookie", p => p.Spec.Affinity.Cookie = new(), p => { p.Spec.Affinity.Type = AffinityType.Cookie; p.Spec.Affinity.Cookie = new(); }),
        ["sameSite None needs secure"] = new("spec.affinity.cookie.sameSite", "requires secure", p => { p.Spec.Affinity.Type = AffinityType.Cookie; p.Spec.Affinity.Cookie = new() { SameSite = SameSiteMode.None }; }, p => { p.Spec.Affinity.Type = AffinityType.Cookie; p.Spec.Affinity.Cookie = new() { SameSite = SameSiteMode.None, Secure = true }; }),
        ["Header needs header"] = new("spec.affinity.header", "header is required when type is Header", p => p.Spec.Affinity.Type = AffinityType.Header, p => { p.Spec.Affinity.Type = AffinityType.Header; p.Spec.Affinity.Header = new() { Name = "X-Lobby-Token" }; }),
        ["header name token"] = new("spec.affinity.header.name", "RFC 6265 token", p => { p.Spec.Affinity.Type = AffinityType.Header; p.Spec.Affinity.Header = new() { Name = "X Lobby" }; }, p => { p.Spec.Affinity.Type = AffinityType.Header; p.Spec.Affinity.Header = new() { Name = "X-Lobby" }; }),
        ["header name required"] = new("spec.affinity.header.name", "required", p => { p.Spec.Affinity.Type = AffinityType.Header; p.Spec.Affinity.Header = new() { Name = "" }; }, p => { p.Spec.Affinity.Type = AffinityType.Header; p.Spec.Affinity.Header = new() { Name = "h" }; }),
        ["header only with Header"] = new("spec.affinity.header", "only applies when type is Header", p => p.Spec.Affinity.Header = new() { Name = "X" }, p => { }),
        ["QueryParam needs queryParam"] = new("spec.affinity.queryParam", "queryParam is required", p => p.Spec.Affinity.Type = AffinityType.QueryParam, p => { p.Spec.Affinity.Type = AffinityType.QueryParam; p.Spec.Affinity.QueryParam = new() { Name = "room" }; }),
        ["query name token"] = new("spec.affinity.queryParam.name", "RFC 6265 token", p => { p.Spec.Affinity.Type = AffinityType.QueryParam; p.Spec.Affinity.QueryParam = new() { Name = "room=1&x" }; }, p => { p.Spec.Affinity.Type = AffinityType.QueryParam; p.Spec.Affinity.QueryParam = new() { Name = "room_id" }; }),
        ["queryParam only with QueryParam"] = new("spec.affinity.queryParam", "only applies when type is QueryParam", p => p.Spec.Affinity.QueryParam = new() { Name = "q" }, p => { }),
        ["hash balance factor only for hashes"] = new("spec.affinity.hashBalanceFactor", "only applies to the hash types", p => p.Spec.Affinity.HashBalanceFactor = 150, p => { p.Spec.Affinity.Type = AffinityType.ClientIP; p.Spec.Affinity.HashBalanceFactor = 150; }),
        ["hash balance factor range"] = new("spec.affinity.hashBalanceFactor", "between 100 and 1000", p => { p.Spec.Affinity.Type = AffinityType.ClientIP; p.Spec.Affinity.HashBalanceFactor = 99; }, p => { p.Spec.Affinity.Type = AffinityType.ClientIP; p.Spec.Affinity.HashBalanceFactor = 100; }),
        ["L4 cannot read cookies"] = new("spec.affinity.type", "needs spec.balancer.layer L7", p => { p.Spec.Balancer.Layer = BalancerLayer.L4; p.Spec.Affinity.Type = AffinityType.Cookie; }, p => { p.Spec.Balancer.Layer = BalancerLayer.L4; p.Spec.Affinity.Type = AffinityType.ClientIP; }),

        // balancer
        ["L4 only managed"] = new("spec.balancer.layer", "needs a managed balancer", p => { p.Spec.Balancer.Type = BalancerType.Ingress; p.Spec.Balancer.Ingress = new(); p.Spec.Balancer.Layer = BalancerLayer.L4; }, p => { p.Spec.Balancer.Type = BalancerType.Nginx; p.Spec.Balancer.Layer = BalancerLayer.L4; }),
        ["Ingress needs ingress"] = new("spec.balancer.ingress", "ingress is required when type is Ingress", p => p.Spec.Balancer.Type = BalancerType.Ingress, p => { p.Spec.Balancer.Type = BalancerType.Ingress; p.Spec.Balancer.Ingress = new() { Host = "chat.example.com" }; }),
        ["ingress only with Ingress"] = new("spec.balancer.ingress", "only applies when type is Ingress", p => p.Spec.Balancer.Ingress = new(), p => { }),
        ["ingress host"] = new("spec.balancer.ingress.host", "DNS host name", p => { p.Spec.Balancer.Type = BalancerType.Ingress; p.Spec.Balancer.Ingress = new() { Host = "chat.example.com;" }; }, p => { p.Spec.Balancer.Type = BalancerType.Ingress; p.Spec.Balancer.Ingress = new() { Host = "*.example.com" }; }),
        ["ingress class"] = new("spec.balancer.ingress.className", "DNS-1123 subdomain", p => { p.Spec.Balancer.Type = BalancerType.Ingress; p.Spec.Balancer.Ingress = new() { ClassName = "Nginx" }; }, p => { p.Spec.Balancer.Type = BalancerType.Ingress; p.Spec.Balancer.Ingress = new() { ClassName = "nginx" }; }),
        ["Gateway needs gateway"] = new("spec.balancer.gateway", "gateway is required when type is Gateway", p => p.Spec.Balancer.Type = BalancerType.Gateway, p => { p.Spec.Balancer.Type = BalancerType.Gateway; p.Spec.Balancer.Gateway = new() { ParentRefs = [new() { Name = "gw" }] }; }),
        ["gateway only with Gateway"] = new("spec.balancer.gateway", "only applies when type is Gateway", p => p.Spec.Balancer.Gateway = new() { ParentRefs = [new() { Name = "gw" }] }, p => { }),
        ["gateway needs a parent"] = new("spec.balancer.gateway.parentRefs", "at least 1 item", p => { p.Spec.Balancer.Type = BalancerType.Gateway; p.Spec.Balancer.Gateway = new(); }, p => { p.Spec.Balancer.Type = BalancerType.Gateway; p.Spec.Balancer.Gateway = new() { ParentRefs = [new() { Name = "gw", Namespace = "infra", SectionName = "https" }] }; }),
        ["gateway parents bounded"] = new("spec.balancer.gateway.parentRefs", "at most 32 items", p => { p.Spec.Balancer.Type = BalancerType.Gateway; p.Spec.Balancer.Gateway = new() { ParentRefs = Enumerable.Range(0, 33).Select(i => new GatewayParentRef { Name = $"gw{i}" }).ToList() }; }, p => { p.Spec.Balancer.Type = BalancerType.Gateway; p.Spec.Balancer.Gateway = new() { ParentRefs = Enumerable.Range(0, 32).Select(i => new GatewayParentRef { Name = $"gw{i}" }).ToList() }; }),
        ["gateway parent name"] = new("spec.balancer.gateway.parentRefs[0].name", "DNS-1123 subdomain", p => { p.Spec.Balancer.Type = BalancerType.Gateway; p.Spec.Balancer.Gateway = new() { ParentRefs = [new() { Name = "GW" }] }; }, p => { p.Spec.Balancer.Type = BalancerType.Gateway; p.Spec.Balancer.Gateway = new() { ParentRefs = [new() { Name = "gw.infra" }] }; }),
        ["gateway parent namespace"] = new("spec.balancer.gateway.parentRefs[0].namespace", "DNS-1123 label", p => { p.Spec.Balancer.Type = BalancerType.Gateway; p.Spec.Balancer.Gateway = new() { ParentRefs = [new() { Name = "gw", Namespace = "a.b" }] }; }, p => { p.Spec.Balancer.Type = BalancerType.Gateway; p.Spec.Balancer.Gateway = new() { ParentRefs = [new() { Name = "gw", Namespace = "a-b" }] }; }),
        ["gateway hostnames"] = new("spec.balancer.gateway.hostnames[1]", "DNS host name", p => { p.Spec.Balancer.Type = BalancerType.Gateway; p.Spec.Balancer.Gateway = new() { ParentRefs = [new() { Name = "gw" }], Hostnames = ["a.example.com", "b.example.com\n"] }; }, p => { p.Spec.Balancer.Type = BalancerType.Gateway; p.Spec.Balancer.Gateway = new() { ParentRefs = [new() { Name = "gw" }], Hostnames = ["a.example.com", "*.b.example.com"] }; }),
        ["gateway hostnames unique"] = new("spec.balancer.gateway.hostnames[1]", "listed twice", p => { p.Spec.Balancer.Type = BalancerType.Gateway; p.Spec.Balancer.Gateway = new() { ParentRefs = [new() { Name = "gw" }], Hostnames = ["a.example.com", "a.example.com"] }; }, p => { p.Spec.Balancer.Type = BalancerType.Gateway; p.Spec.Balancer.Gateway = new() { ParentRefs = [new() { Name = "gw" }], Hostnames = ["a.example.com"] }; }),
        ["TLS secret name required"] = new("spec.balancer.tls.secretName", "required", p => p.Spec.Balancer.Tls = new() { SecretName = "" }, p => p.Spec.Balancer.Tls = new() { SecretName = "chat-tls" }),
        ["TLS secret name grammar"] = new("spec.balancer.tls.secretName", "DNS-1123 subdomain", p => p.Spec.Balancer.Tls = new() { SecretName = "chat tls" }, p => p.Spec.Balancer.Tls = new() { SecretName = "chat.tls" }),
        ["TLS not on Gateway"] = new("spec.balancer.tls", "does not apply to Gateway", p => { p.Spec.Balancer.Type = BalancerType.Gateway; p.Spec.Balancer.Gateway = new() { ParentRefs = [new() { Name = "gw" }] }; p.Spec.Balancer.Tls = new() { SecretName = "t" }; }, p => { p.Spec.Balancer.Type = BalancerType.Ingress; p.Spec.Balancer.Ingress = new(); p.Spec.Balancer.Tls = new() { SecretName = "t" }; }),
        ["HTTP redirect needs L7"] = new("spec.balancer.tls.redirectHttp", "needs layer L7", p => { p.Spec.Balancer.Layer = BalancerLayer.L4; p.Spec.Balancer.Tls = new() { SecretName = "t", RedirectHttp = true }; }, p => { p.Spec.Balancer.Tls = new() { SecretName = "t", RedirectHttp = true }; }),
        ["balancer image grammar"] = new("spec.balancer.image", "image reference", p => p.Spec.Balancer.Image = "haproxy:2.8\nglobal", p => p.Spec.Balancer.Image = "haproxy:2.8@sha256:" + new string('a', 64)),
        ["balancer image only managed"] = new("spec.balancer.image", "only applies to a managed balancer", p => { p.Spec.Balancer.Type = BalancerType.Ingress; p.Spec.Balancer.Ingress = new(); p.Spec.Balancer.Image = "nginx"; }, p => { p.Spec.Balancer.Type = BalancerType.Nginx; p.Spec.Balancer.Image = "nginx:1.29.6"; }),
        ["nginx version only with Nginx"] = new("spec.balancer.nginxVersion", "only applies when type is Nginx", p => p.Spec.Balancer.NginxVersion = "1.29.6", p => { p.Spec.Balancer.Type = BalancerType.Nginx; p.Spec.Balancer.NginxVersion = "1.29.6"; }),
        ["nginx version grammar"] = new("spec.balancer.nginxVersion", "must be a version", p => { p.Spec.Balancer.Type = BalancerType.Nginx; p.Spec.Balancer.NginxVersion = "1.29;"; }, p => { p.Spec.Balancer.Type = BalancerType.Nginx; p.Spec.Balancer.NginxVersion = "1.30"; }),
        ["balancer port range"] = new("spec.balancer.port", "between 1 and 65535", p => p.Spec.Balancer.Port = 0, p => p.Spec.Balancer.Port = 8443),
        ["balancer port only managed"] = new("spec.balancer.port", "only applies to a managed balancer", p => { p.Spec.Balancer.Type = BalancerType.Gateway; p.Spec.Balancer.Gateway = new() { ParentRefs = [new() { Name = "gw" }] }; p.Spec.Balancer.Port = 80; }, p => { p.Spec.Balancer.Type = BalancerType.HAProxy; p.Spec.Balancer.Port = 80; }),
        ["balancer replicas range"] = new("spec.balancer.replicas", "between 1 and 100", p => p.Spec.Balancer.Replicas = 0, p => p.Spec.Balancer.Replicas = 1),

        // broker
        ["External needs external"] = new("spec.broker.external", "external is required when type is External", p => p.Spec.Broker.Type = BrokerType.External, p => { p.Spec.Broker.Type = BrokerType.External; p.Spec.Broker.External = new() { Name = "redis-url" }; }),
        ["external only with External"] = new("spec.broker.external", "only applies when type is External", p => p.Spec.Broker.External = new() { Name = "redis-url" }, p => { }),
        ["external Secret name"] = new("spec.broker.external.name", "DNS-1123 subdomain", p => { p.Spec.Broker.Type = BrokerType.External; p.Spec.Broker.External = new() { Name = "Redis URL" }; }, p => { p.Spec.Broker.Type = BrokerType.External; p.Spec.Broker.External = new() { Name = "redis-url", Key = "REDIS_URL" }; }),
        ["external Secret key"] = new("spec.broker.external.key", "Secret key", p => { p.Spec.Broker.Type = BrokerType.External; p.Spec.Broker.External = new() { Name = "r", Key = "a/b" }; }, p => { p.Spec.Broker.Type = BrokerType.External; p.Spec.Broker.External = new() { Name = "r", Key = "a.b" }; }),
        ["broker env var"] = new("spec.broker.envVar", "environment variable name", p => p.Spec.Broker.EnvVar = "REDIS-URL", p => p.Spec.Broker.EnvVar = "REDIS_URL"),
        ["managed Redis image"] = new("spec.broker.managed.image", "image reference", p => p.Spec.Broker.Managed.Image = "Redis:7", p => p.Spec.Broker.Managed.Image = "redis:7.2-alpine"),

        // scaling
        ["Balancer metrics need HAProxy"] = new("spec.scaling.metrics.source", "needs spec.balancer.type HAProxy", p => { p.Spec.Balancer.Type = BalancerType.Nginx; p.Spec.Scaling.Metrics.Source = MetricsSource.Balancer; }, p => { p.Spec.Balancer.Type = BalancerType.Nginx; p.Spec.Scaling.Metrics.Source = MetricsSource.Pods; }),
        ["metrics port only for Pods"] = new("spec.scaling.metrics.port", "only applies when the metrics source is Pods", p => p.Spec.Scaling.Metrics.Port = "ws", p => { p.Spec.Scaling.Metrics.Source = MetricsSource.Pods; p.Spec.Scaling.Metrics.Port = "ws"; }),
        ["metrics port declared"] = new("spec.scaling.metrics.port", "names no port", p => { p.Spec.Scaling.Metrics.Source = MetricsSource.Pods; p.Spec.Scaling.Metrics.Port = "metrics"; }, p => { p.Spec.Scaling.Metrics.Source = MetricsSource.Pods; p.Spec.Scaling.Metrics.Port = 9100; }),
        ["metric name"] = new("spec.scaling.metrics.metricName", "Prometheus metric name", p => p.Spec.Scaling.Metrics.MetricName = "ws connections", p => p.Spec.Scaling.Metrics.MetricName = "ws:connections_total"),
        ["metrics path"] = new("spec.scaling.metrics.path", "absolute URL path", p => p.Spec.Scaling.Metrics.Path = "/metrics?x=1", p => p.Spec.Scaling.Metrics.Path = "/stats/prometheus"),
        ["scale up can grow"] = new("spec.scaling.scaleUp", "could never grow", p => { p.Spec.Scaling.Enabled = true; p.Spec.Scaling.ScaleUp.MaxPods = 0; p.Spec.Scaling.ScaleUp.MaxPercent = 0; }, p => { p.Spec.Scaling.Enabled = true; p.Spec.Scaling.ScaleUp.MaxPods = 0; p.Spec.Scaling.ScaleUp.MaxPercent = 50; }),
        ["tolerance range"] = new("spec.scaling.tolerancePercent", "between 0 and 100", p => p.Spec.Scaling.TolerancePercent = 101, p => p.Spec.Scaling.TolerancePercent = 100),
        ["prewarm range"] = new("spec.scaling.prewarm.pods", "between 0 and 1000", p => p.Spec.Scaling.Prewarm.Pods = -1, p => p.Spec.Scaling.Prewarm.Pods = 0),
        ["rebalance bound"] = new("spec.scaling.rebalance.maxToMinPercent", "between 110 and 1000", p => p.Spec.Scaling.Rebalance.MaxToMinPercent = 109, p => p.Spec.Scaling.Rebalance.MaxToMinPercent = 110),
        ["rebalance admin port range"] = new("spec.scaling.rebalance.adminPort", "between 1 and 65535", p => p.Spec.Scaling.Rebalance.AdminPort = 70000, p => p.Spec.Scaling.Rebalance.AdminPort = 9500),
        ["rebalance admin port declared"] = new("spec.scaling.rebalance.adminPort", "names no port", p => p.Spec.Scaling.Rebalance.AdminPort = "admin", p => { p.Spec.Template.Spec.Containers[0].Ports.Add(new k8s.Models.V1ContainerPort { Name = "admin", ContainerPort = 9091 }); p.Spec.Scaling.Rebalance.AdminPort = "admin"; }),
        ["rebalance admin port is not the WebSocket port"] = new("spec.scaling.rebalance.adminPort", "is the WebSocket port (8080, spec.port)", p => { p.Spec.Scaling.Enabled = true; p.Spec.Scaling.Rebalance.Enabled = true; p.Spec.Scaling.Rebalance.AdminPort = 8080; }, p => { p.Spec.Scaling.Rebalance.Enabled = false; p.Spec.Scaling.Rebalance.AdminPort = 8080; }),
        ["rebalance admin port named like the WebSocket port"] = new("spec.scaling.rebalance.adminPort", "is the WebSocket port", p => { p.Spec.Scaling.Enabled = true; p.Spec.Scaling.Rebalance.Enabled = true; p.Spec.Scaling.Rebalance.AdminPort = "ws"; }, p => { p.Spec.Scaling.Enabled = true; p.Spec.Scaling.Rebalance.Enabled = true; p.Spec.Scaling.Rebalance.AdminPort = 9091; }),
        ["rebalance needs scaling"] = new("spec.scaling.rebalance.enabled", "needs spec.scaling.enabled", p => p.Spec.Scaling.Rebalance.Enabled = true, p => { p.Spec.Scaling.Enabled = true; p.Spec.Scaling.Rebalance.Enabled = true; }),
        ["scale down window"] = new("spec.scaling.scaleDown.stabilizationWindow", "between 0s and 1h", p => p.Spec.Scaling.ScaleDown.StabilizationWindow = "2h", p => p.Spec.Scaling.ScaleDown.StabilizationWindow = "0s"),
    };

    public static TheoryData<string> Rules() => new(Cases.Keys);

    [Fact]
    public void The_base_pool_is_valid() => PoolValidator.Validate(TestPools.Valid()).Should().BeEmpty();

    [Theory]
    [MemberData(nameof(Rules))]
    public void Breaking_the_rule_reports_the_field_and_the_rule(string rule)
    {
        var pool = TestPools.Valid();
        Cases[rule].Break(pool);

        var errors = PoolValidator.Validate(pool);

        errors.Should().Contain(e => e.Path == Cases[rule].Path && e.Message.Contains(Cases[rule].Fragment),
            "breaking '{0}' must be reported at {1}; got: {2}", rule, Cases[rule].Path, string.Join(" | ", errors));
    }

    [Theory]
    [MemberData(nameof(Rules))]
    public void Keeping_the_rule_leaves_the_pool_valid(string rule)
    {
        var pool = TestPools.Valid();
        Cases[rule].Keep(pool);

        PoolValidator.Validate(pool).Should().BeEmpty();
    }
}
