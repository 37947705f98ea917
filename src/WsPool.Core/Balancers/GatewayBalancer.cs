using System.Text;
using WsPool.Core.Api;
using WsPool.Core.Rendering;

namespace WsPool.Core.Balancers;

/// <summary>
/// A Gateway API HTTPRoute for the pool: parentRefs and hostnames from the spec, one rule for the path, and
/// sessionPersistence (Cookie or Header) for affinity. sessionPersistence is experimental (GEP-1619): Envoy
/// Gateway implements it; check your gateway before relying on it.
/// </summary>
public sealed class GatewayBalancer : IBalancerKind
{
    public string Describe(WebSocketPoolSpec spec) => "Gateway";

    public MetricsSource DefaultMetricsSource => MetricsSource.Pods;

    public bool FollowsReadyEndpoints => false;

    /// <summary>The Gateway implementation's endpoint refresh, which the operator cannot observe: a margin.</summary>
    public TimeSpan RoutingSettleTime => TimeSpan.FromSeconds(15);

    /// <summary>What an HTTPRoute cannot express is said by the CRD's rules; nothing more to check here.</summary>
    public IEnumerable<ValidationError> Check(WebSocketPoolSpec spec) => [];

    public IReadOnlyList<GeneratedValue> GeneratedValues(WebSocketPool pool) => [];

    public IReadOnlyDictionary<string, string> BackendServiceAnnotations(WebSocketPool pool) => new Dictionary<string, string>();

    /// <summary>HTTPRoutes; sessionPersistence (Cookie or Header affinity) is only in the experimental channel's CRD.</summary>
    public IReadOnlyList<ClusterPrerequisite> Prerequisites(WebSocketPoolSpec spec) =>
        [ClusterPrerequisites.HttpRoutes(experimental: PinsSessions(spec.Affinity))];

    public IReadOnlyList<string> Notes(WebSocketPoolSpec spec) => PinsSessions(spec.Affinity)
        ? ["HTTPRoute sessionPersistence is experimental Gateway API (GEP-1619); Envoy Gateway implements it, other gateways may ignore it."]
        : [];

    private static bool PinsSessions(AffinitySpec affinity) => affinity.Type is AffinityType.Cookie or AffinityType.Header;

    public BalancerOutput Render(WebSocketPool pool, RenderOptions options)
    {
        var spec = pool.Spec;
        var names = PoolNames.Of(pool);
        var gateway = spec.Balancer.Gateway ?? new GatewayBalancerSpec();
        var route = new HttpRoute
        {
            Metadata = ManagedBalancerObjects.Meta(names, names.HttpRoute),
            Spec = new HttpRouteSpec
            {
                ParentRefs = gateway.ParentRefs
                    .Select(p => new HttpRouteParentRef { Name = p.Name, Namespace = p.Namespace, SectionName = p.SectionName })
                    .ToList(),
                Hostnames = gateway.Hostnames.Count == 0 ? null : [.. gateway.Hostnames],
                Rules =
                [
                    new HttpRouteRule
                    {
                        Matches = [new HttpRouteMatch { Path = new HttpRoutePathMatch { Type = "PathPrefix", Value = spec.Path } }],
                        BackendRefs = [new HttpRouteBackendRef { Name = names.Backend, Port = BackendPort.Number(pool) }],
                        SessionPersistence = SessionPersistence(spec.Affinity),
                    },
                ],
            },
        };
        return new BalancerOutput([route], new Dictionary<string, string>());
    }

    private static HttpRouteSessionPersistence? SessionPersistence(AffinitySpec affinity)
    {
        switch (affinity.Type)
        {
            case AffinityType.Cookie:
                var cookie = affinity.Cookie ?? new CookieAffinitySpec();
                return new HttpRouteSessionPersistence
                {
                    Type = "Cookie",
                    SessionName = cookie.Name,
                    AbsoluteTimeout = cookie.MaxAge is null ? null : Duration(cookie.MaxAge),
                    IdleTimeout = cookie.MaxIdle is null ? null : Duration(cookie.MaxIdle),
                    CookieConfig = new HttpRouteCookieConfig { LifetimeType = cookie.MaxAge is null ? "Session" : "Permanent" },
                };
            case AffinityType.Header:
                return new HttpRouteSessionPersistence { Type = "Header", SessionName = affinity.Header!.Name };
            default:
                return null;
        }
    }

    /// <summary>The longest duration Gateway API's format (GEP-2257, at most 99999h) holds.</summary>
    public static readonly TimeSpan MaxDuration = TimeSpan.FromHours(99999);

    /// <summary>A duration in Gateway API's format: h, m, s and ms parts only (no days).</summary>
    public static string Duration(string text)
    {
        var d = BalancerDuration.Parse(text);
        if (d == TimeSpan.Zero) return "0s";
        var result = new StringBuilder();
        var hours = (long)d.TotalHours;
        if (hours > 0) result.Append(hours).Append('h');
        if (d.Minutes > 0) result.Append(d.Minutes).Append('m');
        if (d.Seconds > 0) result.Append(d.Seconds).Append('s');
        if (d.Milliseconds > 0) result.Append(d.Milliseconds).Append("ms");
        return result.ToString();
    }
}
