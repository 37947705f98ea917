using k8s;
using Microsoft.Extensions.Logging;

namespace WsPool.Local.Node;

/// <summary>What every pod of a node shares.</summary>
internal sealed record NodeContext(
    IKubernetes Client,
    LocalNodeOptions Options,
    PodAddresses Addresses,
    ImageCommands Images,
    PodEvents Events,
    ILogger Logger);
