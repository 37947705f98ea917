using System.Text.Json.Nodes;

namespace WsPool.Install.Tests.Differential;

/// <summary>One generated pool: the base it came from, what was changed, and the resulting object.</summary>
public sealed record PoolCase(string Name, JsonObject Pool)
{
    public override string ToString() => Name;
}
