namespace WsPool.Core.Tests.Architecture;

/// <summary>Which folder uses which, and the cycles among them.</summary>
internal sealed class FolderGraph
{
    private readonly SortedDictionary<string, SortedDictionary<string, FolderEdge>> _edges = new(StringComparer.Ordinal);

    public IEnumerable<FolderEdge> Edges => _edges.Values.SelectMany(e => e.Values);

    /// <summary>Records the edge; the first example of an edge is kept (a folder using itself is no edge).</summary>
    public void Add(FolderEdge edge)
    {
        if (edge.From == edge.To) return;
        if (!_edges.TryGetValue(edge.From, out var targets)) _edges[edge.From] = targets = new(StringComparer.Ordinal);
        targets.TryAdd(edge.To, edge);
    }

    /// <summary>
    /// Every elementary cycle, each once: rooted at its ordinally first folder, found by walking only through folders
    /// that sort after the root. Exponential in the worst case, which a handful of folders never reaches.
    /// </summary>
    public IReadOnlyList<FolderCycle> Cycles()
    {
        var cycles = new List<FolderCycle>();
        foreach (var root in _edges.Keys)
            Walk(root, root, [], cycles);
        return cycles;
    }

    private void Walk(string root, string at, List<FolderEdge> path, List<FolderCycle> cycles)
    {
        if (!_edges.TryGetValue(at, out var targets)) return;
        foreach (var edge in targets.Values)
        {
            if (edge.To == root)
                cycles.Add(new FolderCycle([.. path, edge]));
            else if (string.CompareOrdinal(edge.To, root) > 0 && path.All(e => e.From != edge.To))
                Walk(root, edge.To, [.. path, edge], cycles);
        }
    }
}
