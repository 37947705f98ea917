using WsPool.KubeEmulator.Registry;
using WsPool.KubeEmulator.Resources;

namespace WsPool.KubeEmulator.Controllers;

/// <summary>
/// A controller of one kind (<see cref="Kind"/>) that tests (and local mode) can switch off and on while the emulator runs. Switched back
/// on it looks at every object of its kind again, as a restarted kube-controller-manager would, since commits made
/// while it was off were ignored.
/// </summary>
public abstract class SwitchableController<T> : BackgroundController<T> where T : notnull
{
    private readonly ObjectRegistry _registry;
    private volatile bool _enabled;

    private protected SwitchableController(ObjectRegistry registry, ResourceType kind, bool enabled, ControllerActivity? activity)
        : base(activity)
    {
        _registry = registry;
        Kind = kind;
        _enabled = enabled;
    }

    /// <summary>The kind whose objects this controller acts on.</summary>
    public ResourceType Kind { get; }

    public bool Enabled
    {
        get => _enabled;
        set
        {
            var resume = value && !_enabled;
            _enabled = value;
            if (resume) Resync();
        }
    }

    /// <summary>Queues every object of <see cref="Kind"/> (after the mode or <see cref="Enabled"/> changed).</summary>
    internal void Resync()
    {
        lock (_registry.Store.Sync)
            foreach (var obj in _registry.Store.ListUnlocked(Kind.GroupResource, null))
                Enqueue(WorkFor(obj.Namespace, obj.Name));
    }

    /// <summary>The work item that makes the controller look at one object of <see cref="Kind"/>.</summary>
    private protected abstract T WorkFor(string ns, string name);
}

/// <summary>A <see cref="SwitchableController{T}"/> whose work item is the object itself.</summary>
public abstract class SwitchableController : SwitchableController<(string Namespace, string Name)>
{
    private protected SwitchableController(ObjectRegistry registry, ResourceType kind, bool enabled, ControllerActivity? activity)
        : base(registry, kind, enabled, activity)
    {
    }

    private protected override (string Namespace, string Name) WorkFor(string ns, string name) => (ns, name);
}
