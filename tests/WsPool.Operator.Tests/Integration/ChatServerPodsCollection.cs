namespace WsPool.Operator.Tests.Integration;

/// <summary>
/// End-to-end classes that run the operator against real chat-server processes with 1s polls (autoscaling,
/// rebalancing, pool metrics). They run one after another rather than side by side: on a shared 2-core machine several
/// sets of servers and operators at once slow the polls enough to miss the tests' bounded waits.
/// </summary>
[CollectionDefinition(Name)]
public sealed class ChatServerPodsCollection
{
    public const string Name = "chat-server pods";
}
