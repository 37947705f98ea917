using WsPool.Local.Tools;

namespace WsPool.Local.Session;

/// <summary>What `wspool local up` is told.</summary>
public sealed record LocalOptions
{
    /// <summary>The pool file(s) to run, as `kubectl apply -f` takes them.</summary>
    public required string PoolFile { get; init; }

    /// <summary>
    /// Where the session keeps its kubeconfig, pod directories and logs. One session per directory: `local down`
    /// finds the session through it.
    /// </summary>
    public string StateDirectory { get; init; } = DefaultStateDirectory;

    /// <summary>Commands for images the node does not know, by image: `--run IMAGE=COMMAND`.</summary>
    public IReadOnlyDictionary<string, string> Run { get; init; } = new Dictionary<string, string>();

    public static string DefaultStateDirectory => Path.Combine(LocalTools.CacheDirectory, "local");
}
