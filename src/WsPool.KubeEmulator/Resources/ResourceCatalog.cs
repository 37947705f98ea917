using System.Collections.Concurrent;

namespace WsPool.KubeEmulator.Resources;

/// <summary>
/// The resources the emulator serves right now: the built-ins, plus custom resources registered by creating a
/// CustomResourceDefinition (or by <see cref="Register"/>). Reads are lock-free; registration replaces snapshots.
/// </summary>
public sealed class ResourceCatalog
{
    private readonly object _gate = new();
    private volatile IReadOnlyList<ResourceType> _all = [];
    private readonly ConcurrentDictionary<(string Group, string Version, string Plural), ResourceType> _byPath = new();
    private readonly ConcurrentDictionary<(string ApiVersion, string Kind), ResourceType> _byKind = new();

    public ResourceCatalog(IEnumerable<ResourceType> initial)
    {
        foreach (var t in initial) Register(t);
    }

    public IReadOnlyList<ResourceType> All => _all;

    public void Register(ResourceType type)
    {
        lock (_gate)
        {
            _byPath[(type.Group, type.Version, type.Plural)] = type;
            _byKind[(type.ApiVersion, type.Kind)] = type;
            _all = _byPath.Values.OrderBy(t => t.Group, StringComparer.Ordinal).ThenBy(t => t.Version).ThenBy(t => t.Plural).ToList();
        }
    }

    public void Unregister(string group, string plural)
    {
        lock (_gate)
        {
            foreach (var t in _byPath.Values.Where(t => t.Group == group && t.Plural == plural).ToList())
            {
                _byPath.TryRemove((t.Group, t.Version, t.Plural), out _);
                _byKind.TryRemove((t.ApiVersion, t.Kind), out _);
            }
            _all = _byPath.Values.OrderBy(t => t.Group, StringComparer.Ordinal).ThenBy(t => t.Version).ThenBy(t => t.Plural).ToList();
        }
    }

    public ResourceType? Find(string group, string version, string plural) =>
        _byPath.TryGetValue((group, version, plural), out var t) ? t : null;

    public ResourceType? FindByKind(string apiVersion, string kind) =>
        _byKind.TryGetValue((apiVersion, kind), out var t) ? t : null;

    public bool ServesGroupVersion(string group, string version) =>
        _all.Any(t => t.Group == group && t.Version == version);

    /// <summary>Served versions of a group (in registration order, preferred first).</summary>
    public IReadOnlyList<string> Versions(string group) =>
        _all.Where(t => t.Group == group).Select(t => t.Version).Distinct().OrderByDescending(VersionPriority).ToList();

    public IReadOnlyList<string> Groups() =>
        _all.Select(t => t.Group).Where(g => g.Length > 0).Distinct().OrderBy(g => g, StringComparer.Ordinal).ToList();

    /// <summary>Kubernetes version ordering: GA before beta before alpha, higher numbers first.</summary>
    private static int VersionPriority(string v)
    {
        var m = System.Text.RegularExpressions.Regex.Match(v, "^v(\\d+)(?:(alpha|beta)(\\d+))?$");
        if (!m.Success) return -1;
        var major = int.Parse(m.Groups[1].Value);
        var stage = m.Groups[2].Value switch { "" => 2, "beta" => 1, _ => 0 };
        var minor = m.Groups[3].Success && m.Groups[3].Value.Length > 0 ? int.Parse(m.Groups[3].Value) : 0;
        return stage * 1_000_000 + major * 1000 + minor;
    }
}
