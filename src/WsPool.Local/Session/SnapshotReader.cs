using k8s;
using k8s.Models;
using WsPool.Core.Api;
using WsPool.Core.Balancers;
using WsPool.Core.Rendering;
using WsPool.Local.View;

namespace WsPool.Local.Session;

/// <summary>
/// Reads what the live view shows, the way a user would with kubectl: the pool and its status, its pods, its Events
/// (the autoscaler's decisions), and from the node the balancer's reloads. Connections per pod are the operator's
/// latest reading in status; the demo's summary measures with its own clients instead.
/// </summary>
public sealed class SnapshotReader(LocalSession session, WebSocketPool pool)
{
    private static readonly HashSet<string> DecisionReasons = ["ScaledUp", "ScaledDown", "Rebalanced", "RebalanceFailed", "MetricsUnavailable"];

    private readonly string _ns = pool.Metadata.NamespaceProperty ?? "default";
    private readonly PoolNames _names = PoolNames.Of(pool);

    public async Task<LocalSnapshot> ReadAsync(CancellationToken cancellationToken)
    {
        var client = session.Client;
        var live = await ReadPoolAsync(client, cancellationToken).ConfigureAwait(false) ?? pool;
        var pods = await PodsAsync(client, PoolLabels.BackendComponent, cancellationToken).ConfigureAwait(false);
        var balancers = await PodsAsync(client, PoolLabels.BalancerComponent, cancellationToken).ConfigureAwait(false);
        var counts = (live.Status?.Connections?.Pods ?? []).ToDictionary(p => p.Name, p => p.Connections);
        var events = await client.EventsV1.ListNamespacedEventAsync(_ns, fieldSelector: $"regarding.name={_names.Pool}",
            cancellationToken: cancellationToken).ConfigureAwait(false);

        return new LocalSnapshot
        {
            Time = DateTimeOffset.UtcNow,
            Pool = new PoolSnapshot
            {
                Namespace = _ns,
                Name = _names.Pool,
                Url = Url(live, balancers),
                DesiredReplicas = live.Status?.DesiredReplicas ?? live.Spec.Replicas ?? live.Spec.MinReplicas,
                ReadyReplicas = live.Status?.ReadyReplicas ?? 0,
                MinReplicas = live.Spec.MinReplicas,
                MaxReplicas = live.Spec.MaxReplicas,
                TargetPerPod = live.Spec.Connections.Target,
                LimitPerPod = live.Spec.Connections.Limit,
            },
            Pods = pods.Select(p => new PodSnapshot
            {
                Name = p.Metadata.Name,
                Ip = p.Status?.PodIP,
                Phase = p.Status?.Phase ?? "Pending",
                Ready = p.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true,
                Connections = counts.GetValueOrDefault(p.Metadata.Name),
                Restarts = p.Status?.ContainerStatuses?.Sum(c => c.RestartCount) ?? 0,
                TemplateHash = Value(p.Metadata.Labels, TemplateHashLabel),
                TerminatingSince = p.Metadata.DeletionTimestamp is { } t ? new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc)) : null,
            }).OrderBy(p => p.Name, StringComparer.Ordinal).ToList(),
            Decisions = (events.Items ?? []).Where(e => DecisionReasons.Contains(e.Reason ?? ""))
                .Select(e => new ScalingDecision(When(e), e.Reason!, e.Note ?? ""))
                .ToList(),
            BalancerReloads = session.BalancerReloads(_names),
        };
    }

    /// <summary>
    /// Where a user connects: the first ready balancer pod's address (a running pod may not listen yet), wss on the
    /// TLS port when the pool has TLS.
    /// </summary>
    public static string Url(WebSocketPool pool, IReadOnlyList<V1Pod> balancers)
    {
        var ip = balancers.FirstOrDefault(p => p.Status?.PodIP is not null && p.Metadata.DeletionTimestamp is null
            && p.Status.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true)?.Status.PodIP;
        if (ip is null) return "(waiting for the balancer pod)";
        return pool.Spec.Balancer.Tls is null
            ? $"ws://{ip}:{BalancerPorts.Http}{pool.Spec.Path}"
            : $"wss://{ip}:{BalancerPorts.Https}{pool.Spec.Path}";
    }

    /// <summary>
    /// The backend Deployment's ReplicaSets, one per revision of the pod template, newest revision first: which pods
    /// (by their <c>pod-template-hash</c>) are of the current template during a rollout, as `kubectl rollout history`
    /// sees it.
    /// </summary>
    public async Task<IReadOnlyList<RevisionSnapshot>> ReadRevisionsAsync(CancellationToken cancellationToken)
    {
        var selector = PoolLabels.SelectorText(_names.Pool, PoolLabels.BackendComponent);
        var list = await session.Client.AppsV1.ListNamespacedReplicaSetAsync(_ns, labelSelector: selector, cancellationToken: cancellationToken)
            .ConfigureAwait(false);
        return (list.Items ?? []).Select(rs => new RevisionSnapshot
            {
                Name = rs.Metadata.Name,
                TemplateHash = Value(rs.Metadata.Labels, TemplateHashLabel) ?? "",
                Revision = long.TryParse(Value(rs.Metadata.Annotations, RevisionAnnotation), out var revision) ? revision : 0,
                Replicas = rs.Spec?.Replicas ?? 0,
                ReadyReplicas = rs.Status?.ReadyReplicas ?? 0,
            })
            .OrderByDescending(r => r.Revision).ThenBy(r => r.Name, StringComparer.Ordinal)
            .ToList();
    }

    private const string TemplateHashLabel = "pod-template-hash";
    private const string RevisionAnnotation = "deployment.kubernetes.io/revision";

    private static string? Value(IDictionary<string, string>? map, string key) => map is not null && map.TryGetValue(key, out var value) ? value : null;

    private async Task<WebSocketPool?> ReadPoolAsync(IKubernetes client, CancellationToken cancellationToken)
    {
        try
        {
            var json = await client.CustomObjects.GetNamespacedCustomObjectAsync<System.Text.Json.JsonElement>("wspool.dev", "v1alpha1",
                _ns, "websocketpools", _names.Pool, cancellationToken).ConfigureAwait(false);
            return KubernetesJson.Deserialize<WebSocketPool>(json.GetRawText());
        }
        catch (k8s.Autorest.HttpOperationException)
        {
            return null;
        }
    }

    private async Task<IReadOnlyList<V1Pod>> PodsAsync(IKubernetes client, string component, CancellationToken cancellationToken)
    {
        var selector = PoolLabels.SelectorText(_names.Pool, component);
        var list = await client.CoreV1.ListNamespacedPodAsync(_ns, labelSelector: selector, cancellationToken: cancellationToken)
            .ConfigureAwait(false);
        return list.Items?.ToList() ?? [];
    }

    private static DateTimeOffset When(Eventsv1Event e) =>
        e.EventTime is { } t ? new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc))
        : e.DeprecatedLastTimestamp is { } l ? new DateTimeOffset(DateTime.SpecifyKind(l, DateTimeKind.Utc))
        : DateTimeOffset.MinValue;
}
