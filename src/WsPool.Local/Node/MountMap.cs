using System.Text.RegularExpressions;

namespace WsPool.Local.Node;

/// <summary>
/// A container's volume mounts as this machine sees them: each in-container mount path and the pod directory that
/// stands in for it. A process here has no mount namespace, so every path it is given (command, args, config files)
/// is rewritten from the container's view to the host's.
/// </summary>
public sealed class MountMap
{
    private readonly List<(string Container, string Host)> _mounts;
    private readonly Regex? _pattern;

    public MountMap(IEnumerable<(string ContainerPath, string HostPath)> mounts)
    {
        // Longest first: a mount inside another (/etc/app and /etc/app/tls) must win for its own paths.
        _mounts = mounts
            .Select(m => (Container: m.ContainerPath.TrimEnd('/'), Host: m.HostPath.TrimEnd('/')))
            .Where(m => m.Container.Length > 0)
            .DistinctBy(m => m.Container)
            .OrderByDescending(m => m.Container.Length)
            .ToList();
        if (_mounts.Count == 0) return;
        // A mount path counts only as a whole path: not preceded by a path character, followed by '/' or the end of
        // the word (so /tmp/nginx does not rewrite /tmp/nginx2 or /x/tmp/nginx).
        var alternatives = string.Join("|", _mounts.Select(m => Regex.Escape(m.Container)));
        _pattern = new Regex($@"(?<![\w.\-/~$])(?:{alternatives})(?=$|[/\s;:""',)\]}}])", RegexOptions.Multiline);
    }

    public static MountMap Empty { get; } = new([]);

    public IReadOnlyList<(string Container, string Host)> Mounts => _mounts;

    /// <summary>The host path of an in-container path under some mount, or null when no mount covers it.</summary>
    public string? HostPathOf(string containerPath)
    {
        foreach (var (container, host) in _mounts)
        {
            if (containerPath == container) return host;
            if (containerPath.StartsWith(container + "/", StringComparison.Ordinal)) return host + containerPath[container.Length..];
        }
        return null;
    }

    /// <summary>Every mount path in <paramref name="text"/> replaced by its host directory.</summary>
    public string Rewrite(string text)
    {
        if (_pattern is null) return text;
        return _pattern.Replace(text, match => _mounts.First(m => m.Container == match.Value).Host);
    }
}
