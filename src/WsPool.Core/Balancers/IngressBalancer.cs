using System.Globalization;
using k8s.Models;
using WsPool.Core.Api;
using WsPool.Core.Rendering;

namespace WsPool.Core.Balancers;

/// <summary>
/// A networking.k8s.io/v1 Ingress for an existing controller. What differs between controllers (their annotations
/// for WebSockets, affinity and timeouts, and what they cannot express) is each controller's own subclass.
/// </summary>
public abstract class IngressBalancer : IBalancerKind
{
    /// <summary>The controller's name as its users know it, for messages ("install ingress-nginx").</summary>
    public abstract string Product { get; }

    public abstract IngressController Controller { get; }

    public string Describe(WebSocketPoolSpec spec) => $"Ingress ({Controller})";

    public MetricsSource DefaultMetricsSource => MetricsSource.Pods;

    public bool FollowsReadyEndpoints => false;

    /// <summary>
    /// The controller's endpoint refresh, which the operator cannot observe: a margin over ingress-nginx's and the
    /// HAProxy controllers' sync periods (a few seconds); an ALB's target deregistration can take longer.
    /// </summary>
    public TimeSpan RoutingSettleTime => TimeSpan.FromSeconds(15);

    public abstract IEnumerable<ValidationError> Check(WebSocketPoolSpec spec);

    /// <summary>The Ingress annotations that carry the spec to this controller.</summary>
    public abstract Dictionary<string, string> Annotations(WebSocketPoolSpec spec);

    public virtual IReadOnlyDictionary<string, string> BackendServiceAnnotations(WebSocketPool pool) => new Dictionary<string, string>();

    public virtual IReadOnlyList<string> Notes(WebSocketPoolSpec spec) => [];

    public IReadOnlyList<GeneratedValue> GeneratedValues(WebSocketPool pool) => [];

    /// <summary>
    /// The named IngressClass: an Ingress naming a class that does not exist is accepted by the API server and then
    /// served by no controller. An unset className means the cluster's default class, which need not exist.
    /// </summary>
    public IReadOnlyList<ClusterPrerequisite> Prerequisites(WebSocketPoolSpec spec) =>
        spec.Balancer.Ingress is { ClassName: { Length: > 0 } name } ? [new IngressClassPrerequisite(name, Product)] : [];

    public BalancerOutput Render(WebSocketPool pool, RenderOptions options)
    {
        var spec = pool.Spec;
        var names = PoolNames.Of(pool);
        var ingress = spec.Balancer.Ingress ?? new IngressBalancerSpec();
        var annotations = Annotations(spec);
        var rule = new V1IngressRule
        {
            Host = ingress.Host,
            Http = new V1HTTPIngressRuleValue
            {
                Paths =
                [
                    new V1HTTPIngressPath
                    {
                        Path = spec.Path,
                        PathType = "Prefix",
                        Backend = new V1IngressBackend
                        {
                            Service = new V1IngressServiceBackend
                            {
                                Name = names.Backend,
                                Port = new V1ServiceBackendPort { Number = BackendPort.Number(pool) },
                            },
                        },
                    },
                ],
            },
        };
        var metadata = ManagedBalancerObjects.Meta(names, names.Ingress);
        metadata.Annotations = annotations.Count == 0 ? null : annotations;
        var result = new V1Ingress
        {
            ApiVersion = "networking.k8s.io/v1",
            Kind = "Ingress",
            Metadata = metadata,
            Spec = new V1IngressSpec
            {
                IngressClassName = ingress.ClassName,
                Rules = [rule],
                Tls = spec.Balancer.Tls is { } tls
                    ? [new V1IngressTLS { SecretName = tls.SecretName, Hosts = ingress.Host is null ? null : [ingress.Host] }]
                    : null,
            },
        };
        return new BalancerOutput([result], new Dictionary<string, string>());
    }

    /// <summary>HAProxy's balance algorithm for an affinity (both HAProxy ingress controllers take HAProxy's syntax).</summary>
    protected static string HAProxyBalance(AffinitySpec affinity) => affinity.Type switch
    {
        AffinityType.ClientIP => "source",
        AffinityType.Header => $"hdr({affinity.Header!.Name})",
        AffinityType.QueryParam => $"url_param {affinity.QueryParam!.Name}",
        _ => "leastconn",
    };

    protected static string Seconds(string duration) => BalancerDuration.Seconds(duration).ToString(CultureInfo.InvariantCulture);

    protected static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);
}
