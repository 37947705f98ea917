namespace WsPool.Local.Tests.EndToEnd;

/// <summary>Tests that start whole local sessions run one at a time: each runs an operator, a DNS server and pods.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class LocalSessions
{
    public const string Name = "local sessions";
}
