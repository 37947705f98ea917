namespace WsPool.Core.Loading;

/// <summary>What a file held: the pools that could be read, and every problem found while reading them.</summary>
public sealed record PoolFile(string FileName, IReadOnlyList<LoadedPool> Pools, IReadOnlyList<Problem> Problems)
{
    public bool IsValid => Problems.Count == 0;
}
