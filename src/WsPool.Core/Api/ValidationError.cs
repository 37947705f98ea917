namespace WsPool.Core.Api;

/// <summary>One broken rule: the field path (spec.affinity.cookie.name) and what the rule demands.</summary>
public sealed record ValidationError(string Path, string Message)
{
    public override string ToString() => $"{Path}: {Message}";
}
