using k8s;
using k8s.Models;
using WsPool.Core.Permissions;
using WsPool.Operator.Runtime;

namespace WsPool.Operator.Kubernetes;

/// <summary>
/// Every kind the renderer may produce, with the generated KubernetesClient calls for each. A kind's identity and RBAC
/// come from <see cref="OperatorPermissions"/>: add it there (then `make crds`) and here, and the reconciler needs
/// nothing more.
/// </summary>
public sealed class OwnedKinds
{
    public OwnedKind<V1Deployment, V1DeploymentList> Deployments { get; } = new(OperatorPermissions.Deployments,
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

    public OwnedKind<V1Service, V1ServiceList> Services { get; } = new(OperatorPermissions.Services, FieldManager.Name,
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

    public OwnedKind<V1ConfigMap, V1ConfigMapList> ConfigMaps { get; } = new(OperatorPermissions.ConfigMaps,
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

    public OwnedKind<V1Secret, V1SecretList> Secrets { get; } = new(OperatorPermissions.Secrets, FieldManager.Name,
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

    public OwnedKind<V1PodDisruptionBudget, V1PodDisruptionBudgetList> PodDisruptionBudgets { get; } = new(
        OperatorPermissions.PodDisruptionBudgets, FieldManager.Name,
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

    public OwnedKind<V1Ingress, V1IngressList> Ingresses { get; } = new(OperatorPermissions.Ingresses,
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

    // The custom-object calls address HTTPRoutes by group, version and plural rather than by a generated client.
    private static readonly OwnedKindPermission Route = OperatorPermissions.HttpRoutes;

    /// <summary>Gateway API HTTPRoutes: a CRD a cluster may not have; the informer treats a 404 as "none yet".</summary>
    public OwnedKind<UnstructuredObject, CustomObjectList<UnstructuredObject>> HttpRoutes { get; } = new(
        OperatorPermissions.HttpRoutes, FieldManager.Name,
        (c, ns, sel, q) => ns is null
            ? c.CustomObjects.ListClusterCustomObjectWithHttpMessagesAsync<CustomObjectList<UnstructuredObject>>(
                Route.Group, Route.Version, Route.Resource, allowWatchBookmarks: q.AllowWatchBookmarks, labelSelector: sel,
                resourceVersion: q.ResourceVersion, limit: q.Limit, continueParameter: q.Continue,
                timeoutSeconds: q.TimeoutSeconds, watch: q.WatchFlag, cancellationToken: q.CancellationToken)
            : c.CustomObjects.ListNamespacedCustomObjectWithHttpMessagesAsync<CustomObjectList<UnstructuredObject>>(
                Route.Group, Route.Version, ns, Route.Resource, allowWatchBookmarks: q.AllowWatchBookmarks, labelSelector: sel,
                resourceVersion: q.ResourceVersion, limit: q.Limit, continueParameter: q.Continue,
                timeoutSeconds: q.TimeoutSeconds, watch: q.WatchFlag, cancellationToken: q.CancellationToken),
        l => new(l.Items ?? [], l.Metadata?.ResourceVersion ?? "", l.Metadata?.ContinueProperty),
        async (c, p, name, ns, fm, ct) =>
        {
            using var response = await c.CustomObjects.PatchNamespacedCustomObjectWithHttpMessagesAsync<UnstructuredObject>(
                p, Route.Group, Route.Version, ns, Route.Resource, name, fieldManager: fm, force: true,
                cancellationToken: ct).ConfigureAwait(false);
            return response.Body;
        },
        async (c, name, ns, ct) =>
        {
            using var response = await c.CustomObjects.DeleteNamespacedCustomObjectWithHttpMessagesAsync(
                Route.Group, Route.Version, ns, Route.Resource, name, cancellationToken: ct).ConfigureAwait(false);
        },
        CompactCopies.Unstructured);

    public IReadOnlyList<IOwnedKind> All => [Deployments, Services, ConfigMaps, Secrets, PodDisruptionBudgets, Ingresses, HttpRoutes];

    /// <summary>The owned kind of a rendered object, by apiVersion and kind.</summary>
    public IOwnedKind? For(string? apiVersion, string? kind) =>
        All.FirstOrDefault(k => k.ApiVersion == apiVersion && k.Kind == kind);
}
