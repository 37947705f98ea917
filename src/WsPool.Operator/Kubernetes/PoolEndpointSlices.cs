using System.Globalization;
using System.Net;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using WsPool.Core.Api;
using WsPool.Core.Balancers;
using WsPool.Core.Rendering;
using WsPool.Operator.Runtime;

namespace WsPool.Operator.Kubernetes;

/// <summary>
/// A read-only cache of the discovery.k8s.io/v1 EndpointSlices of wspool's backend Services: a managed NGINX's
/// upstream servers are the ready addresses of the pool's headless Service (open-source NGINX cannot re-resolve a
/// DNS name without a reload, so the operator gives it the addresses).
/// <para>
/// Selection: the EndpointSlice controller copies a Service's labels onto its slices and adds the well-known
/// <c>kubernetes.io/service-name</c> (and <c>endpointslice.kubernetes.io/managed-by</c>) labels — kubernetes/kubernetes
/// commit b7d8045 "endpoinslices must mirror services labels" (Sep 2020: "The labels in the endpoint and in the
/// parent must be equivalent ... Slices must have two well known labels: LabelServiceName and LabelManagedBy"), and the
/// EndpointSlice API reference ("find all of the slices for a given service by listing EndpointSlices in the
/// service's namespace whose kubernetes.io/service-name label contains the service's name"). So the slices of wspool's
/// Services carry <c>app.kubernetes.io/managed-by=wspool-operator</c> (watched with the owned kinds' selector) and
/// <c>app.kubernetes.io/instance=&lt;pool&gt;</c>, which maps a slice to its pool: slices are owned by the Service,
/// not by the pool, so no owner reference leads there.
/// </para>
/// </summary>
public sealed class PoolEndpointSlices
{
    /// <summary>The label the EndpointSlice controller puts on every slice: the name of its Service.</summary>
    public const string ServiceNameLabel = "kubernetes.io/service-name";

    /// <summary>Slices indexed by "namespace/service", so a pool's render reads its own slices, not every slice.</summary>
    public Store<V1EndpointSlice> Store { get; } = new(slice =>
        slice.Metadata.Labels is { } labels && labels.TryGetValue(ServiceNameLabel, out var service) && service.Length > 0
            ? ServiceKey(slice.Metadata.NamespaceProperty ?? "", service)
            : null);

    private static string ServiceKey(string @namespace, string service) => $"{@namespace}/{service}";

    /// <summary>An informer over the slices with the label selector in the namespace (null: all namespaces).</summary>
    public IInformer CreateInformer(IKubernetes client, string? @namespace, string labelSelector, InformerOptions options,
        TimeProvider clock, ILoggerFactory loggers, IInformerMetrics? metrics)
    {
        var scope = @namespace is null ? "all namespaces" : $"namespace {@namespace}";
        var source = new KubeListWatch<V1EndpointSlice, V1EndpointSliceList>($"endpointslices.discovery.k8s.io/v1 in {scope}",
            @namespace,
            q => @namespace is null
                ? client.DiscoveryV1.ListEndpointSliceForAllNamespacesWithHttpMessagesAsync(allowWatchBookmarks: q.AllowWatchBookmarks,
                    labelSelector: labelSelector, resourceVersion: q.ResourceVersion, limit: q.Limit, continueParameter: q.Continue,
                    timeoutSeconds: q.TimeoutSeconds,
                    watch: q.WatchFlag, cancellationToken: q.CancellationToken)
                : client.DiscoveryV1.ListNamespacedEndpointSliceWithHttpMessagesAsync(@namespace, allowWatchBookmarks: q.AllowWatchBookmarks,
                    labelSelector: labelSelector, resourceVersion: q.ResourceVersion, limit: q.Limit, continueParameter: q.Continue,
                    timeoutSeconds: q.TimeoutSeconds,
                    watch: q.WatchFlag, cancellationToken: q.CancellationToken),
            l => new(l.Items.ToList(), l.Metadata.ResourceVersion, l.Metadata.ContinueProperty));
        return new InformerAdapter<V1EndpointSlice>(new Informer<V1EndpointSlice>(source, Store, options, clock,
            loggers.CreateLogger("WsPool.Operator.Informer.EndpointSlice"), metrics));
    }

    /// <summary>The pool a slice belongs to (its Service's instance label), or null for a slice that names none.</summary>
    public static ObjectKey? PoolOf(IKubernetesObject<V1ObjectMeta> slice) =>
        slice.Metadata.Labels?.TryGetValue(PoolLabels.Instance, out var pool) == true && !string.IsNullOrEmpty(pool)
            ? new ObjectKey(slice.Metadata.NamespaceProperty ?? "", pool)
            : null;

    /// <summary>
    /// What rendering needs from the slices: for a managed NGINX, its upstream servers; every other balancer discovers
    /// pods itself (HAProxy through DNS) or leaves it to a controller, so its options stay empty.
    /// </summary>
    public RenderOptions RenderOptionsFor(WebSocketPool pool) =>
        BalancerKinds.For(pool.Spec.Balancer).FollowsReadyEndpoints
            ? new RenderOptions
            {
                Backends = ReadyBackends(Store.Indexed(ServiceKey(PoolNames.Of(pool).Namespace, PoolNames.Of(pool).HeadlessService)),
                    PoolNames.Of(pool).HeadlessService),
            }
            : new RenderOptions();

    /// <summary>
    /// The ready endpoints (host:port) of a Service, over all its slices, deduplicated and sorted (numerically by
    /// address, then port) so the same endpoints always render the same nginx.conf and an unchanged set writes nothing.
    /// An endpoint counts unless its ready condition is false (the API says a missing value means ready); terminating
    /// pods are reported not ready by the EndpointSlice controller, so a draining pod leaves the upstream. Only IPv4
    /// slices are used (the generated upstream takes IPv4 host:port), and the port is the slice's port named like the
    /// Service's (<see cref="BackendPort.ServicePortName"/>), or its only port. Empty when nothing is ready: the config
    /// builder then renders its placeholder server marked down, which nginx -t accepts and which answers 503.
    /// </summary>
    public static IReadOnlyList<string> ReadyBackends(IEnumerable<V1EndpointSlice> slices, string serviceName)
    {
        var endpoints = new HashSet<(IPAddress Address, int Port)>();
        foreach (var slice in slices)
        {
            if (slice.Metadata.Labels?.TryGetValue(ServiceNameLabel, out var service) != true || service != serviceName) continue;
            if (slice.AddressType != "IPv4") continue;
            var ports = slice.Ports ?? [];
            var port = ports.FirstOrDefault(p => p.Name == BackendPort.ServicePortName) ?? (ports.Count == 1 ? ports[0] : null);
            if (port?.Port is not { } number) continue;
            foreach (var endpoint in slice.Endpoints ?? [])
            {
                if (endpoint.Conditions?.Ready == false) continue;
                foreach (var address in endpoint.Addresses ?? [])
                {
                    var text = $"{address}:{number.ToString(CultureInfo.InvariantCulture)}";
                    if (ResolverAddress.IsValid(text)) endpoints.Add((IPAddress.Parse(address), number));
                }
            }
        }
        return endpoints
            .OrderBy(e => BitConverter.ToUInt32(e.Address.GetAddressBytes().Reverse().ToArray()))
            .ThenBy(e => e.Port)
            .Select(e => $"{e.Address}:{e.Port.ToString(CultureInfo.InvariantCulture)}")
            .ToList();
    }
}
