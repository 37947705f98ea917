namespace WsPool.Core.Loading;

/// <summary>
/// One reason a file is not a set of valid pools: which pool (document), which field, what is wrong, and where.
/// <see cref="Document"/> is the 1-based index of the YAML document (0 for the file as a whole). Printed as <c>&lt;pool&gt;: &lt;path&gt;: &lt;message&gt;</c>, followed by the location when one is known.
/// </summary>
public sealed record Problem(string Pool, string Path, string Message, SourceLocation? Location = null, int Document = 0)
{
    public override string ToString()
    {
        var at = Location is null ? "" : $" (at {Location})";
        return Path.Length == 0 ? $"{Pool}: {Message}{at}" : $"{Pool}: {Path}: {Message}{at}";
    }
}
