using WsPool.KubeEmulator.Registry;
using WsPool.KubeEmulator.Resources;
using WsPool.KubeEmulator.Storage;
using WsPool.KubeEmulator.Watch;

namespace WsPool.KubeEmulator.Controllers;

/// <summary>
/// The garbage collector and namespace controller, run in the background after the delete that triggers them
/// (as in a cluster, a client sees the owner gone first and its dependents shortly after):
/// <list type="bullet">
/// <item>an object whose ownerReferences all point at uids that no longer exist is deleted (background propagation,
/// so chains cascade), including objects created with only dangling owners;</item>
/// <item>an owner being deleted in the foreground (finalizer <c>foregroundDeletion</c>) has its dependents deleted,
/// then loses the finalizer and goes;</item>
/// <item>a Terminating namespace has its content deleted and is removed once empty.</item>
/// </list>
/// </summary>
public sealed class GarbageCollector : BackgroundController<StoreChange>
{
    private readonly ObjectRegistry _registry;
    private readonly ObjectStore _store;

    internal GarbageCollector(ObjectRegistry registry, ControllerActivity? activity = null) : base(activity)
    {
        _registry = registry;
        _store = registry.Store;
        _store.Committed += OnCommitted;
    }

    private void OnCommitted(StoreChange change)
    {
        var o = change.After;
        var interesting = change.Type switch
        {
            WatchEventType.Deleted => true,
            WatchEventType.Added => o.OwnerUids.Count > 0,
            _ => (o.IsDeleting && (o.Finalizers.Contains(ObjectRegistry.ForegroundFinalizer) || IsNamespace(o)))
                 || (o.OwnerUids.Count > 0 && !o.OwnerUids.SequenceEqual(change.Before?.OwnerUids ?? [])),
        };
        if (interesting) Enqueue(change);
    }

    private static bool IsNamespace(StoredObject o) => o.Type.GroupResource == BuiltInResources.Namespaces.GroupResource;

    protected override Task HandleAsync(StoreChange change, CancellationToken stopping)
    {
        lock (_store.Sync)
        {
            var o = change.After;
            if (change.Type == WatchEventType.Deleted)
            {
                CollectDependentsOf(o.Uid);
                foreach (var owner in o.OwnerUids) FinishForeground(owner);
                if (o.Namespace.Length > 0) FinishNamespace(o.Namespace);
            }
            else if (IsNamespace(o) && o.IsDeleting)
            {
                foreach (var (_, item) in _store.InNamespaceUnlocked(o.Name).ToList())
                    if (!item.IsDeleting) _registry.DeleteUnlocked(item, new DeleteRequest());
                FinishNamespace(o.Name);
            }
            else if (o.IsDeleting && o.Finalizers.Contains(ObjectRegistry.ForegroundFinalizer))
            {
                foreach (var dependent in _store.DependentsUnlocked(o.Uid))
                    if (!dependent.IsDeleting) _registry.DeleteUnlocked(dependent, new DeleteRequest(PropagationPolicy: "Foreground"));
                FinishForeground(o.Uid);
            }
            else if (o.OwnerUids.Count > 0 && _store.GetUnlocked(o.Type.GroupResource, o.Namespace, o.Name) is { } current)
            {
                CollectIfOrphaned(current);
            }
        }
        return Task.CompletedTask;
    }

    private void CollectDependentsOf(string ownerUid)
    {
        foreach (var dependent in _store.DependentsUnlocked(ownerUid)) CollectIfOrphaned(dependent);
    }

    private void CollectIfOrphaned(StoredObject dependent)
    {
        if (dependent.IsDeleting) return;
        if (dependent.OwnerUids.All(uid => _store.ByUidUnlocked(uid) is null))
            _registry.DeleteUnlocked(dependent, new DeleteRequest());
    }

    private void FinishForeground(string ownerUid)
    {
        if (_store.ByUidUnlocked(ownerUid) is not { IsDeleting: true } owner) return;
        if (!owner.Finalizers.Contains(ObjectRegistry.ForegroundFinalizer)) return;
        if (_store.DependentsUnlocked(ownerUid).Count == 0) _registry.RemoveFinalizerUnlocked(owner, ObjectRegistry.ForegroundFinalizer);
    }

    private void FinishNamespace(string ns)
    {
        if (_store.GetUnlocked(BuiltInResources.Namespaces.GroupResource, "", ns) is not { IsDeleting: true } namespaceObject) return;
        if (!_store.InNamespaceUnlocked(ns).Any()) _registry.RemoveUnlocked(namespaceObject);
    }
}
