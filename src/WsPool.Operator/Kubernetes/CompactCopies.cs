using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using k8s.Models;

namespace WsPool.Operator.Kubernetes;

/// <summary>
/// What the operator reads of an owned object once it knows the object holds what it applied: its identity, its
/// controller, the applied-hash annotation, and what status needs. The rest of the body — pod templates, rendered
/// configs, labels the informer's selector already filtered on — is in the pool's spec, and at thousands of objects
/// it is most of the cache's memory (controller-runtime offers metadata-only watches for the same reason).
/// </summary>
public static class CompactCopies
{
    /// <summary>
    /// Namespaces, apiVersions and kinds repeat across every cached object: keep one copy of each (bounded by the
    /// namespaces the operator has seen).
    /// </summary>
    private static readonly ConcurrentDictionary<string, string> Repeated = new(StringComparer.Ordinal);

    public static V1ObjectMeta Metadata(V1ObjectMeta m) => new()
    {
        Name = m.Name,
        NamespaceProperty = Shared(m.NamespaceProperty),
        Uid = m.Uid,
        ResourceVersion = m.ResourceVersion,
        Generation = m.Generation,
        DeletionTimestamp = m.DeletionTimestamp,
        Annotations = AppliedHashOnly(m.Annotations),
        OwnerReferences = ControllerOnly(m.OwnerReferences),
    };

    /// <summary>Replicas and selector (the autoscaler reads the current replicas) and the rollout's counts.</summary>
    public static V1Deployment Deployment(V1Deployment d) => new()
    {
        ApiVersion = Shared(d.ApiVersion),
        Kind = Shared(d.Kind),
        Metadata = WithTemplateRevision(Metadata(d.Metadata), d.Metadata),
        Spec = d.Spec is null ? null : new V1DeploymentSpec { Replicas = d.Spec.Replicas, Selector = d.Spec.Selector },
        Status = d.Status is not { } s ? null : new V1DeploymentStatus
        {
            ObservedGeneration = s.ObservedGeneration,
            Replicas = s.Replicas,
            ReadyReplicas = s.ReadyReplicas,
            UpdatedReplicas = s.UpdatedReplicas,
            AvailableReplicas = s.AvailableReplicas,
        },
    };

    public static V1Service Service(V1Service s) =>
        new() { ApiVersion = Shared(s.ApiVersion), Kind = Shared(s.Kind), Metadata = Metadata(s.Metadata) };

    public static V1ConfigMap ConfigMap(V1ConfigMap c) =>
        new() { ApiVersion = Shared(c.ApiVersion), Kind = Shared(c.Kind), Metadata = Metadata(c.Metadata) };

    /// <summary>A Secret keeps its data: generated values are read back from it so that applying never rotates them.</summary>
    public static V1Secret Secret(V1Secret s) => new()
    {
        ApiVersion = Shared(s.ApiVersion),
        Kind = Shared(s.Kind),
        Metadata = Metadata(s.Metadata),
        Data = s.Data,
        Type = s.Type,
        Immutable = s.Immutable,
    };

    public static V1PodDisruptionBudget PodDisruptionBudget(V1PodDisruptionBudget p) =>
        new() { ApiVersion = Shared(p.ApiVersion), Kind = Shared(p.Kind), Metadata = Metadata(p.Metadata) };

    public static V1Ingress Ingress(V1Ingress i) =>
        new() { ApiVersion = Shared(i.ApiVersion), Kind = Shared(i.Kind), Metadata = Metadata(i.Metadata) };

    public static UnstructuredObject Unstructured(UnstructuredObject u) =>
        new() { ApiVersion = Shared(u.ApiVersion), Kind = Shared(u.Kind), Metadata = Metadata(u.Metadata) };

    /// <summary>A Deployment also keeps its pod template's revision: a connection-aware rollout starts when it changes.</summary>
    private static V1ObjectMeta WithTemplateRevision(V1ObjectMeta compact, V1ObjectMeta full)
    {
        if (full.Annotations?.TryGetValue(Core.Rendering.PodTemplateRevision.Annotation, out var revision) == true)
            (compact.Annotations ??= new Dictionary<string, string>(1))[Core.Rendering.PodTemplateRevision.Annotation] = revision;
        return compact;
    }

    private static Dictionary<string, string>? AppliedHashOnly(IDictionary<string, string>? annotations) =>
        annotations is not null && annotations.TryGetValue(FieldManager.AppliedHashAnnotation, out var hash)
            ? new Dictionary<string, string>(1) { [FieldManager.AppliedHashAnnotation] = hash }
            : null;

    private static List<V1OwnerReference>? ControllerOnly(IList<V1OwnerReference>? owners)
    {
        if (owners?.FirstOrDefault(o => o.Controller == true) is not { } controller) return null;
        return
        [
            new V1OwnerReference
            {
                ApiVersion = Shared(controller.ApiVersion),
                Kind = Shared(controller.Kind),
                Name = controller.Name,
                Uid = controller.Uid,
                Controller = true,
                BlockOwnerDeletion = controller.BlockOwnerDeletion,
            },
        ];
    }

    [return: NotNullIfNotNull(nameof(value))]
    private static string? Shared(string? value) => value is null ? null : Repeated.GetOrAdd(value, value);
}
