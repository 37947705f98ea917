namespace WsPool.Local.Node;

/// <summary>How a <see cref="LocalNode"/> runs pods. Every setting has a working default for `wspool local up`.</summary>
public sealed record LocalNodeOptions
{
    /// <summary>The node the pods are bound to (<c>spec.nodeName</c>); only those pods run here.</summary>
    public string NodeName { get; init; } = "local";

    /// <summary>
    /// Where each pod gets its directory (volumes, rewritten configs, one log per container). Keep it short: a Unix
    /// socket a balancer puts in its pod directory must fit in 107 bytes.
    /// </summary>
    public string StateDirectory { get; init; } = Path.Combine(Path.GetTempPath(), "wspool-local");

    /// <summary>
    /// The sample backend that <c>ghcr.io/wspool/chat-server:*</c> runs. Null: <see cref="ChatServerBuild.Locate"/>
    /// looks next to the running assembly, then in the repository's build output.
    /// </summary>
    public string? ChatServerDll { get; init; }

    /// <summary>
    /// Commands for images the node does not know, each <c>IMAGE=COMMAND</c> as given to <c>--run</c>; the image may
    /// end in <c>*</c> or omit its tag to match every tag. <c>$POD_IP</c> and <c>$PORT</c> (the container's first
    /// containerPort) are substituted. These win over the built-in images.
    /// </summary>
    public IReadOnlyList<string> Run { get; init; } = [];

    /// <summary>
    /// The first delay before restarting a container that exited (after the first restart, which is immediate, as
    /// the kubelet does); it doubles per restart up to <see cref="RestartBackoffMax"/>.
    /// </summary>
    public TimeSpan RestartBackoffBase { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan RestartBackoffMax { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How long <see cref="LocalNode.DisposeAsync"/> lets processes exit after SIGTERM before SIGKILL.</summary>
    public TimeSpan ShutdownGrace { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>Retry interval while a pod waits for a missing ConfigMap, Secret or key.</summary>
    public TimeSpan MissingSourceRetry { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>The address reported as the pod's <c>hostIP</c>: the node itself (the API, DNS and the user's address).</summary>
    public string HostIP { get; init; } = "127.0.0.1";

    /// <summary>
    /// Resolves a Service name (<c>name.ns.svc[.cluster.local]</c>) to an address, for the names in containers'
    /// environments (see <see cref="ClusterNames"/>); null leaves them as they are. Local mode passes its DNS.
    /// </summary>
    public Func<string, string?>? ResolveServiceName { get; init; }
}
