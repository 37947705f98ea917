namespace WsPool.Local.Node;

/// <summary>
/// A pod refers to a ConfigMap, Secret or key that is not there (and is not optional): its containers cannot start
/// yet. The kubelet keeps retrying, and so does the node; the message says what is missing.
/// </summary>
internal sealed class MissingSourceException(string reason, string message) : Exception(message)
{
    /// <summary>The container waiting reason the kubelet reports: CreateContainerConfigError or ContainerCreating.</summary>
    public string Reason { get; } = reason;
}
