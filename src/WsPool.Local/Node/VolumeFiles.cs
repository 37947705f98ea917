using System.Text;
using k8s.Models;

namespace WsPool.Local.Node;

/// <summary>
/// A pod's volumes as directories under its pod directory (<c>volumes/NAME</c>): <c>configMap</c> and <c>secret</c>
/// (keys as files, <c>items</c> and modes honoured, Secret data decoded), <c>downwardAPI</c> (field files),
/// <c>emptyDir</c> (an empty directory that lives as long as the pod). Any other kind (hostPath, persistent claims,
/// projected, ...) becomes an empty directory and a warning: there is no storage on this node.
/// <see cref="SyncAsync"/> runs again when a ConfigMap or Secret changes, like the kubelet's periodic sync: files are
/// replaced one by one by rename (never half-written), keys that went away are removed, and it says which volumes'
/// content really changed.
/// </summary>
internal sealed class VolumeFiles(V1Pod pod, string podDirectory)
{
    private readonly IList<V1Volume> _volumes = pod.Spec?.Volumes ?? [];

    public string Root { get; } = Path.Combine(podDirectory, "volumes");

    public string DirectoryOf(string volume) => Path.Combine(Root, volume);

    /// <summary>The ConfigMaps and Secrets the volumes project, by kind ("configmap"/"secret") and name.</summary>
    public IEnumerable<(string Kind, string Name)> Sources =>
        _volumes.SelectMany(v => (v.ConfigMap, v.Secret) switch
        {
            ({ } cm, _) => [("configmap", cm.Name)],
            (_, { } secret) => new[] { ("secret", secret.SecretName) },
            _ => [],
        });

    /// <summary>A container's mounts: each mountPath and the directory (or, with subPath, the file) that backs it.</summary>
    public MountMap MountsOf(V1Container container) => new(
        (container.VolumeMounts ?? []).Select(m => (m.MountPath,
            string.IsNullOrEmpty(m.SubPath) ? DirectoryOf(m.Name) : Path.Combine(DirectoryOf(m.Name), m.SubPath))));

    /// <summary>Writes every volume; returns the names of those whose files changed (every one, the first time).</summary>
    /// <exception cref="MissingSourceException">A ConfigMap, Secret or key a volume needs is missing.</exception>
    public async Task<IReadOnlySet<string>> SyncAsync(PodSources sources, Action<string> warn, CancellationToken cancellationToken)
    {
        var changed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var volume in _volumes)
        {
            var dir = DirectoryOf(volume.Name);
            var existed = Directory.Exists(dir);
            Directory.CreateDirectory(dir);
            var files = await DesiredFilesAsync(volume, sources, warn, cancellationToken);
            if (files is null)
            {
                if (!existed) changed.Add(volume.Name);
                continue;
            }
            if (Write(dir, files) || !existed) changed.Add(volume.Name);
        }
        return changed;
    }

    /// <summary>The files a projected volume should hold (relative path → content and mode), or null for a plain directory.</summary>
    private async Task<Dictionary<string, (byte[] Content, int Mode)>?> DesiredFilesAsync(V1Volume volume, PodSources sources,
        Action<string> warn, CancellationToken cancellationToken)
    {
        if (volume.ConfigMap is { } cm)
        {
            var configMap = await sources.ConfigMapAsync(cm.Name, cancellationToken);
            if (configMap is null)
                return cm.Optional == true ? [] : throw Missing(volume, $"configmap \"{cm.Name}\" not found");
            return Project(volume, PodSources.Contents(configMap), cm.Items, cm.DefaultMode, cm.Optional == true, $"configmap \"{cm.Name}\"");
        }
        if (volume.Secret is { } secretSource)
        {
            var secret = await sources.SecretAsync(secretSource.SecretName, cancellationToken);
            if (secret is null)
                return secretSource.Optional == true ? [] : throw Missing(volume, $"secret \"{secretSource.SecretName}\" not found");
            return Project(volume, PodSources.Contents(secret), secretSource.Items, secretSource.DefaultMode, secretSource.Optional == true, $"secret \"{secretSource.SecretName}\"");
        }
        if (volume.DownwardAPI is { } downward)
        {
            var files = new Dictionary<string, (byte[], int)>(StringComparer.Ordinal);
            foreach (var item in downward.Items ?? [])
            {
                var value = item.FieldRef is { } field ? PodEnvironment.Field(pod, field.FieldPath, "", "") : null;
                if (value is null)
                {
                    warn($"volume {volume.Name}: {item.Path} needs a field the local node does not project; left out");
                    continue;
                }
                files[SafeRelative(item.Path)] = (Encoding.UTF8.GetBytes(value), item.Mode ?? downward.DefaultMode ?? 420);
            }
            return files;
        }
        if (volume.EmptyDir is null)
            warn($"volume {volume.Name}: only configMap, secret, downwardAPI and emptyDir volumes are materialized locally; it is an empty directory");
        return null;
    }

    private static Dictionary<string, (byte[] Content, int Mode)> Project(V1Volume volume, IReadOnlyDictionary<string, byte[]> contents,
        IList<V1KeyToPath>? items, int? defaultMode, bool optional, string what)
    {
        var files = new Dictionary<string, (byte[], int)>(StringComparer.Ordinal);
        var mode = defaultMode ?? 420; // 0644, the API default
        if (items is null || items.Count == 0)
        {
            foreach (var (key, content) in contents) files[SafeRelative(key)] = (content, mode);
            return files;
        }
        foreach (var item in items)
        {
            if (!contents.TryGetValue(item.Key, out var content))
            {
                if (optional) continue;
                throw Missing(volume, $"configured key {item.Key} of {what} not found");
            }
            files[SafeRelative(item.Path)] = (content, item.Mode ?? mode);
        }
        return files;
    }

    /// <summary>Brings a directory to exactly these files; true when anything was written or removed.</summary>
    private static bool Write(string dir, Dictionary<string, (byte[] Content, int Mode)> files)
    {
        var changed = false;
        foreach (var (relative, (content, mode)) in files)
        {
            var path = Path.Combine(dir, relative);
            if (File.Exists(path) && File.ReadAllBytes(path).AsSpan().SequenceEqual(content)) continue;
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            // Written aside then renamed over: a process reading the file sees the old or the new content, never half.
            var temporary = Path.Combine(Path.GetDirectoryName(path)!, $".{Path.GetFileName(path)}.{Environment.ProcessId}.tmp");
            File.WriteAllBytes(temporary, content);
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(temporary, (UnixFileMode)(mode & 0x1FF));
            File.Move(temporary, path, overwrite: true);
            changed = true;
        }
        foreach (var existing in Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories).ToList())
        {
            var relative = Path.GetRelativePath(dir, existing);
            if (files.ContainsKey(relative)) continue;
            File.Delete(existing);
            changed = true;
        }
        return changed;
    }

    /// <summary>A key or item path as a path inside the volume; the API refuses '..' and absolute paths, and so does this.</summary>
    private static string SafeRelative(string path)
    {
        if (Path.IsPathRooted(path) || path.Split('/').Any(part => part is ".." or ""))
            throw new InvalidOperationException($"volume path '{path}' must be relative and must not contain '..'");
        return path;
    }

    private static MissingSourceException Missing(V1Volume volume, string message) =>
        new("ContainerCreating", $"MountVolume.SetUp failed for volume \"{volume.Name}\" : {message}");
}
