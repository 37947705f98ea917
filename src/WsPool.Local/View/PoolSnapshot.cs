namespace WsPool.Local.View;

/// <summary>The pool as the live view shows it: where to connect, how many pods it wants and has, and its sizing.</summary>
public sealed record PoolSnapshot
{
    public required string Namespace { get; init; }
    public required string Name { get; init; }

    /// <summary>The WebSocket URL a user connects to (the local balancer's), e.g. <c>ws://127.0.0.1:8080/ws</c>.</summary>
    public required string Url { get; init; }

    /// <summary>The replicas the operator decided (the pool's <c>status.desiredReplicas</c>).</summary>
    public int DesiredReplicas { get; init; }

    /// <summary>The replicas ready (the pool's <c>status.readyReplicas</c>).</summary>
    public int ReadyReplicas { get; init; }

    public int MinReplicas { get; init; }
    public int MaxReplicas { get; init; }

    /// <summary><c>spec.connections.target</c>: what the autoscaler sizes each pod for.</summary>
    public int TargetPerPod { get; init; }

    /// <summary><c>spec.connections.limit</c>: the per-pod hard limit (the balancer's maxconn).</summary>
    public int LimitPerPod { get; init; }
}
