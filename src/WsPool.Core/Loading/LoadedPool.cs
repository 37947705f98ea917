using WsPool.Core.Api;

namespace WsPool.Core.Loading;

/// <summary>
/// One WebSocketPool read from a file. <see cref="Id"/> names it in messages (<c>namespace/name</c>, <c>name</c>, or
/// <c>file#index</c> when unnamed); <see cref="Locations"/> maps field paths to where they were written, so a
/// validation error can point at its line.
/// </summary>
public sealed record LoadedPool(
    string Id,
    int DocumentIndex,
    WebSocketPool Pool,
    SourceLocation Location,
    IReadOnlyDictionary<string, SourceLocation> Locations)
{
    /// <summary>Fields whose written value had the wrong shape and was replaced by its default while loading.</summary>
    public IReadOnlyList<string> Replaced { get; init; } = [];

    /// <summary>
    /// True when a rule's verdict on <paramref name="path"/> rests on a replaced value: the field itself, a field
    /// inside it, or the object holding it (whose cross-field rules read it). Such verdicts would only add noise to
    /// the shape error already reported.
    /// </summary>
    public bool RestsOnReplacedValue(string path) => Replaced.Any(replaced =>
        path == replaced
        || path.StartsWith(replaced + ".", StringComparison.Ordinal)
        || path.StartsWith(replaced + "[", StringComparison.Ordinal)
        || (path.Length > 0 && (replaced.StartsWith(path + ".", StringComparison.Ordinal) || replaced.StartsWith(path + "[", StringComparison.Ordinal))
            && !replaced[(path.Length + 1)..].Contains('.')));

    /// <summary>The location of <paramref name="path"/>, or of its nearest written ancestor.</summary>
    public SourceLocation? Find(string path)
    {
        for (var current = path; current.Length > 0; current = Parent(current))
            if (Locations.TryGetValue(current, out var location)) return location;
        return null;
    }

    private static string Parent(string path)
    {
        var cut = Math.Max(path.LastIndexOf('.'), path.LastIndexOf('['));
        return cut <= 0 ? "" : path[..cut];
    }
}
