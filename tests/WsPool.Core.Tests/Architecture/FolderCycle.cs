namespace WsPool.Core.Tests.Architecture;

/// <summary>Folders that reach themselves through their dependencies, each edge with the place that makes it.</summary>
internal sealed record FolderCycle(IReadOnlyList<FolderEdge> Edges)
{
    /// <summary>"A → B → A".</summary>
    public string Path => string.Join(" → ", Edges.Select(e => e.From).Append(Edges[0].From));

    public override string ToString() =>
        Path + string.Concat(Edges.Select(e => $"\n    {e.From} → {e.To}: {e.Example}"));
}
