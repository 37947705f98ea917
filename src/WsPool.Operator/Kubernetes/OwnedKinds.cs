using k8s.Models;
using k8s;
using WsPool.Operator.Runtime;

namespace WsPool.Operator.Kubernetes;

/// <summary>
/// Every kind the renderer may produce, with the generated KubernetesClient calls for each. Adding a kind here is
/// all the reconciler needs (plus its RBAC rule in crds/operator-rbac.yaml).
/// </summary>
public sealed class OwnedKinds
{
    public OwnedKind<V1Deployment, V1DeploymentList> Deployments { get; } = new("apps/v1", "Deployment", "deployments",
        FieldManager.Name,
        (c, ns, sel, q) => ns is null
            ? c.AppsV1.ListDeploymentForAllNamespacesWithHttpMessagesAsync(allowWatchBookmarks: q.AllowWatchBookmarks,
                labelSelector: sel, resourceVersion: q.ResourceVersion, limit: q.Limit, continueParameter: q.Continue,
                timeoutSeconds: q.TimeoutSeconds, watch: q.WatchFlag, cancellationToken: q.CancellationToken)
            : c.AppsV1.ListNamespacedDeploymentWithHttpMessagesAsync(ns, allowWatchBookmarks: q.AllowWatchBookmarks,
                labelSelector: sel, resourceVersion: q.ResourceVersion, limit: q.Limit, continueParameter: q.Continue,
                timeoutSeconds: q.TimeoutSeconds, watch: q.WatchFlag, cancellationToken: q.CancellationToken),
        l => new(l.Items.ToList(), l.Metadata.ResourceVersion, l.Metadata.ContinueProperty),
        (c, p, name, ns, fm, ct) => c.AppsV1.PatchNamespacedDeploymentAsync(p, name, ns, fieldManager: fm, force: true, cancellationToken: ct),
        (c, name, ns, ct) => c.AppsV1.DeleteNamespacedDeploymentAsync(name, ns, cancellationToken: ct),
        CompactCopies.Deployment);

    public OwnedKind<V1Service, V1ServiceList> Services { get; } = new("v1", "Service", "services", FieldManager.Name,
        (c, ns, sel, q) => ns is null
            ? c.CoreV1.ListServiceForAllNamespacesWithHttpMessagesAsync(allowWatchBookmarks: q.AllowWatchBookmarks,
                labelSelector: sel, resourceVersion: q.ResourceVersion, limit: q.Limit, continueParameter: q.Continue,
                timeoutSeconds: q.TimeoutSeconds, watch: q.WatchFlag, cancellationToken: q.CancellationToken)
            : c.CoreV1.ListNamespacedServiceWithHttpMessagesAsync(ns, allowWatchBookmarks: q.AllowWatchBookmarks,
                labelSelector: sel, resourceVersion: q.ResourceVersion, limit: q.Limit, continueParameter: q.Continue,
                timeoutSeconds: q.TimeoutSeconds, watch: q.WatchFlag, cancellationToken: q.CancellationToken),
        l => new(l.Items.ToList(), l.Metadata.ResourceVersion, l.Metadata.ContinueProperty),
        (c, p, name, ns, fm, ct) => c.CoreV1.PatchNamespacedServiceAsync(p, name, ns, fieldManager: fm, force: true, cancellationToken: ct),
        (c, name, ns, ct) => c.CoreV1.DeleteNamespacedServiceAsync(name, ns, cancellationToken: ct),
        CompactCopies.Service);

    public OwnedKind<V1ConfigMap, V1ConfigMapList> ConfigMaps { get; } = new("v1", "ConfigMap", "configmaps",
        FieldManager.Name,
        (c, ns, sel, q) => ns is null
            ? c.CoreV1.ListConfigMapForAllNamespacesWithHttpMessagesAsync(allowWatchBookmarks: q.AllowWatchBookmarks,
                labelSelector: sel, resourceVersion: q.ResourceVersion, limit: q.Limit, continueParameter: q.Continue,
                timeoutSeconds: q.TimeoutSeconds, watch: q.WatchFlag, cancellationToken: q.CancellationToken)
            : c.CoreV1.ListNamespacedConfigMapWithHttpMessagesAsync(ns, allowWatchBookmarks: q.AllowWatchBookmarks,
                labelSelector: sel, resourceVersion: q.ResourceVersion, limit: q.Limit, continueParameter: q.Continue,
                timeoutSeconds: q.TimeoutSeconds, watch: q.WatchFlag, cancellationToken: q.CancellationToken),
        l => new(l.Items.ToList(), l.Metadata.ResourceVersion, l.Metadata.ContinueProperty),
        (c, p, name, ns, fm, ct) => c.CoreV1.PatchNamespacedConfigMapAsync(p, name, ns, fieldManager: fm, force: true, cancellationToken: ct),
        (c, name, ns, ct) => c.CoreV1.DeleteNamespacedConfigMapAsync(name, ns, cancellationToken: ct),
        CompactCopies.ConfigMap);

    public OwnedKind<V1Secret, V1SecretList> Secrets { get; } = new("v1", "Secret", "secrets", FieldManager.Name,
        (c, ns, sel, q) => ns is null
            ? c.CoreV1.ListSecretForAllNamespacesWithHttpMessagesAsync(allowWatchBookmarks: q.AllowWatchBookmarks,
                labelSelector: sel, resourceVersion: q.ResourceVersion, limit: q.Limit, continueParameter: q.Continue,
                timeoutSeconds: q.TimeoutSeconds, watch: q.WatchFlag, cancellationToken: q.CancellationToken)
            : c.CoreV1.ListNamespacedSecretWithHttpMessagesAsync(ns, allowWatchBookmarks: q.AllowWatchBookmarks,
                labelSelector: sel, resourceVersion: q.ResourceVersion, limit: q.Limit, continueParameter: q.Continue,
                timeoutSeconds: q.TimeoutSeconds, watch: q.WatchFlag, cancellationToken: q.CancellationToken),
        l => new(l.Items.ToList(), l.Metadata.ResourceVersion, l.Metadata.ContinueProperty),
        (c, p, name, ns, fm, ct) => c.CoreV1.PatchNamespacedSecretAsync(p, name, ns, fieldManager: fm, force: true, cancellationToken: ct),
        (c, name, ns, ct) => c.CoreV1.DeleteNamespacedSecretAsync(name, ns, cancellationToken: ct),
        CompactCopies.Secret);

    public OwnedKind<V1PodDisruptionBudget, V1PodDisruptionBudgetList> PodDisruptionBudgets { get; } = new("policy/v1",
        "PodDisruptionBudget", "poddisruptionbudgets", FieldManager.Name,
        (c, ns, sel, q) => ns is null
            ? c.PolicyV1.ListPodDisruptionBudgetForAllNamespacesWithHttpMessagesAsync(allowWatchBookmarks: q.AllowWatchBookmarks,
                labelSelector: sel, resourceVersion: q.ResourceVersion, limit: q.Limit, continueParameter: q.Continue,
                timeoutSeconds: q.TimeoutSeconds, watch: q.WatchFlag, cancellationToken: q.CancellationToken)
            : c.PolicyV1.ListNamespacedPodDisruptionBudgetWithHttpMessagesAsync(ns, allowWatchBookmarks: q.AllowWatchBookmarks,
                labelSelector: sel, resourceVersion: q.ResourceVersion, limit: q.Limit, continueParameter: q.Continue,
                timeoutSeconds: q.TimeoutSeconds, watch: q.WatchFlag, cancellationToken: q.CancellationToken),
        l => new(l.Items.ToList(), l.Metadata.ResourceVersion, l.Metadata.ContinueProperty),
        (c, p, name, ns, fm, ct) => c.PolicyV1.PatchNamespacedPodDisruptionBudgetAsync(p, name, ns, fieldManager: fm, force: true, cancellationToken: ct),
        (c, name, ns, ct) => c.PolicyV1.DeleteNamespacedPodDisruptionBudgetAsync(name, ns, cancellationToken: ct),
        CompactCopies.PodDisruptionBudget);

    public OwnedKind<V1Ingress, V1IngressList> Ingresses { get; } = new("networking.k8s.io/v1", "Ingress", "ingresses",
        FieldManager.Name,
        (c, ns, sel, q) => ns is null
            ? c.NetworkingV1.ListIngressForAllNamespacesWithHttpMessagesAsync(allowWatchBookmarks: q.AllowWatchBookmarks,
                labelSelector: sel, resourceVersion: q.ResourceVersion, limit: q.Limit, continueParameter: q.Continue,
                timeoutSeconds: q.TimeoutSeconds, watch: q.WatchFlag, cancellationToken: q.CancellationToken)
            : c.NetworkingV1.ListNamespacedIngressWithHttpMessagesAsync(ns, allowWatchBookmarks: q.AllowWatchBookmarks,
                labelSelector: sel, resourceVersion: q.ResourceVersion, limit: q.Limit, continueParameter: q.Continue,
                timeoutSeconds: q.TimeoutSeconds, watch: q.WatchFlag, cancellationToken: q.CancellationToken),
        l => new(l.Items.ToList(), l.Metadata.ResourceVersion, l.Metadata.ContinueProperty),
        (c, p, name, ns, fm, ct) => c.NetworkingV1.PatchNamespacedIngressAsync(p, name, ns, fieldManager: fm, force: true, cancellationToken: ct),
        (c, name, ns, ct) => c.NetworkingV1.DeleteNamespacedIngressAsync(name, ns, cancellationToken: ct),
        CompactCopies.Ingress);

    public const string GatewayGroup = "gateway.networking.k8s.io";
    public const string GatewayVersion = "v1";

    /// <summary>Gateway API HTTPRoutes: a CRD a cluster may not have; the informer treats a 404 as "none yet".</summary>
    public OwnedKind<UnstructuredObject, CustomObjectList<UnstructuredObject>> HttpRoutes { get; } = new(
        $"{GatewayGroup}/{GatewayVersion}", "HTTPRoute", "httproutes", FieldManager.Name,
        (c, ns, sel, q) => ns is null
            ? c.CustomObjects.ListClusterCustomObjectWithHttpMessagesAsync<CustomObjectList<UnstructuredObject>>(
                GatewayGroup, GatewayVersion, "httproutes", allowWatchBookmarks: q.AllowWatchBookmarks, labelSelector: sel,
                resourceVersion: q.ResourceVersion, limit: q.Limit, continueParameter: q.Continue,
                timeoutSeconds: q.TimeoutSeconds, watch: q.WatchFlag, cancellationToken: q.CancellationToken)
            : c.CustomObjects.ListNamespacedCustomObjectWithHttpMessagesAsync<CustomObjectList<UnstructuredObject>>(
                GatewayGroup, GatewayVersion, ns, "httproutes", allowWatchBookmarks: q.AllowWatchBookmarks, labelSelector: sel,
                resourceVersion: q.ResourceVersion, limit: q.Limit, continueParameter: q.Continue,
                timeoutSeconds: q.TimeoutSeconds, watch: q.WatchFlag, cancellationToken: q.CancellationToken),
        l => new(l.Items ?? [], l.Metadata?.ResourceVersion ?? "", l.Metadata?.ContinueProperty),
        async (c, p, name, ns, fm, ct) =>
        {
            using var response = await c.CustomObjects.PatchNamespacedCustomObjectWithHttpMessagesAsync<UnstructuredObject>(
                p, GatewayGroup, GatewayVersion, ns, "httproutes", name, fieldManager: fm, force: true,
                cancellationToken: ct).ConfigureAwait(false);
            return response.Body;
        },
        async (c, name, ns, ct) =>
        {
            using var response = await c.CustomObjects.DeleteNamespacedCustomObjectWithHttpMessagesAsync(
                GatewayGroup, GatewayVersion, ns, "httproutes", name, cancellationToken: ct).ConfigureAwait(false);
        },
        CompactCopies.Unstructured);

    public IReadOnlyList<IOwnedKind> All => [Deployments, Services, ConfigMaps, Secrets, PodDisruptionBudgets, Ingresses, HttpRoutes];

    /// <summary>The owned kind of a rendered object, by apiVersion and kind.</summary>
    public IOwnedKind? For(string? apiVersion, string? kind) =>
        All.FirstOrDefault(k => k.ApiVersion == apiVersion && k.Kind == kind);
}
