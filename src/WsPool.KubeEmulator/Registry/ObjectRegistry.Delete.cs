using System.Text.Json.Nodes;
using WsPool.KubeEmulator.Errors;
using WsPool.KubeEmulator.Json;
using WsPool.KubeEmulator.Resources;
using WsPool.KubeEmulator.Selectors;
using WsPool.KubeEmulator.Storage;

namespace WsPool.KubeEmulator.Registry;

/// <summary>
/// DELETE: preconditions, finalizers (the object stays, with deletionTimestamp, until its finalizers are gone) and
/// propagation policy. Background: the owner goes now, the garbage collector removes dependents afterwards.
/// Foreground: the owner gets the <c>foregroundDeletion</c> finalizer and goes once the collector has removed its
/// dependents. Orphan: dependents lose their ownerReference to the owner first. Namespaces are marked Terminating
/// and removed by the namespace controller once empty.
/// </summary>
public sealed partial class ObjectRegistry
{
    public const string ForegroundFinalizer = "foregroundDeletion";
    internal const string ControllerManager = "kube-controller-manager";

    /// <summary>Deletes or marks for deletion; <c>Gone</c> tells whether the object no longer exists.</summary>
    public (StoredObject Object, bool Gone) Delete(ResourceType type, string? ns, string name, DeleteRequest request)
    {
        lock (_store.Sync) return DeleteUnlocked(GetExisting(type, ns, name), request);
    }

    public IReadOnlyList<StoredObject> DeleteCollection(ResourceType type, string? ns, LabelSelector labels, FieldSelector fields, DeleteRequest request)
    {
        lock (_store.Sync)
        {
            var matching = _store.ListUnlocked(type.GroupResource, type.Namespaced ? ns : null)
                .Where(o => labels.Matches(o.Labels) && fields.Matches(o)).ToList();
            return matching.Select(o => DeleteUnlocked(o, request with { PreconditionUid = null, PreconditionResourceVersion = null }).Object).ToList();
        }
    }

    internal (StoredObject Object, bool Gone) DeleteUnlocked(StoredObject existing, DeleteRequest request)
    {
        var type = existing.Type;
        if (request.PreconditionUid is { Length: > 0 } uid && uid != existing.Uid)
            throw ApiError.Conflict(type.Group, type.Plural, existing.Name,
                $"Precondition failed: UID in precondition: {uid}, UID in object meta: {existing.Uid}");
        if (request.PreconditionResourceVersion is { Length: > 0 } rv && rv != existing.ResourceVersion.ToString())
            throw ApiError.Conflict(type.Group, type.Plural, existing.Name,
                $"Precondition failed: ResourceVersion in precondition: {rv}, ResourceVersion in meta: {existing.ResourceVersion}");
        if (request.DryRun) return (existing, false);
        if (type.GroupResource == BuiltInResources.Pods.GroupResource && GracefulPodDeletion
            && DeletePodGracefully(existing, request) is { } graceful)
            return graceful;

        if (request.PropagationPolicy == "Orphan") Orphan(existing);

        var obj = existing.ToJsonObject();
        var meta = obj.Metadata();
        var changed = false;
        if (type.GroupResource == BuiltInResources.Namespaces.GroupResource)
        {
            if (existing.IsDeleting) return (existing, false);
            obj.Obj("status")["phase"] = "Terminating";
            changed = true;
        }
        if (request.PropagationPolicy == "Foreground" && _store.DependentsUnlocked(existing.Uid).Count > 0)
        {
            var finalizers = meta["finalizers"] as JsonArray ?? new JsonArray();
            if (!finalizers.Any(f => JsonUtil.ScalarText(f) == ForegroundFinalizer))
            {
                finalizers.Add(ForegroundFinalizer);
                meta["finalizers"] = finalizers;
                changed = true;
            }
        }
        if (changed || existing.Finalizers.Count > 0)
        {
            if (!existing.IsDeleting)
            {
                meta["deletionTimestamp"] = Now();
                meta["deletionGracePeriodSeconds"] = 0;
                changed = true;
            }
            if (!changed) return (existing, false);
            var marked = _store.Put(type, obj, existing);
            return (marked, false);
        }
        var gone = _store.Remove(existing);
        AfterDelete(type, gone);
        return (gone, true);
    }

    /// <summary>Removes the ownerReference to <paramref name="owner"/> from each of its dependents.</summary>
    private void Orphan(StoredObject owner)
    {
        foreach (var dependent in _store.DependentsUnlocked(owner.Uid))
        {
            var copy = dependent.ToJsonObject();
            if (copy["metadata"]?["ownerReferences"] is JsonArray refs)
            {
                for (var i = refs.Count - 1; i >= 0; i--)
                    if (refs[i].Str("uid") == owner.Uid) refs.RemoveAt(i);
                if (refs.Count == 0) copy.Metadata().Remove("ownerReferences");
            }
            CommitUpdate(dependent.Type, dependent, copy, null, WriteOptions.Internal(ControllerManager), apply: false);
        }
    }

    /// <summary>Removes one finalizer (used by the garbage collector for <c>foregroundDeletion</c>).</summary>
    internal void RemoveFinalizerUnlocked(StoredObject existing, string finalizer)
    {
        var copy = existing.ToJsonObject();
        if (copy["metadata"]?["finalizers"] is not JsonArray finalizers) return;
        for (var i = finalizers.Count - 1; i >= 0; i--)
            if (JsonUtil.ScalarText(finalizers[i]) == finalizer) finalizers.RemoveAt(i);
        if (finalizers.Count == 0) copy.Metadata().Remove("finalizers");
        CommitUpdate(existing.Type, existing, copy, null, WriteOptions.Internal(ControllerManager), apply: false);
    }

    /// <summary>Removes an object for good (the namespace controller, after its content is gone).</summary>
    internal void RemoveUnlocked(StoredObject existing)
    {
        var gone = _store.Remove(existing);
        AfterDelete(existing.Type, gone);
    }
}
