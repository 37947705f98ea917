namespace WsPool.Operator.Runtime;

/// <summary>Ordering of resourceVersions, where one can be known.</summary>
public static class ResourceVersions
{
    /// <summary>
    /// True when <paramref name="candidate"/> is older than <paramref name="other"/>. resourceVersions are opaque, but
    /// every API server we know issues integers; they are compared when both parse, and otherwise nothing is older.
    /// </summary>
    public static bool IsOlder(string? candidate, string? other) =>
        long.TryParse(candidate, out var a) && long.TryParse(other, out var b) && a < b;
}
