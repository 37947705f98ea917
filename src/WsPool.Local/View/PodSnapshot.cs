namespace WsPool.Local.View;

/// <summary>One backend pod as the live view shows it.</summary>
public sealed record PodSnapshot
{
    public required string Name { get; init; }

    /// <summary>The pod's own loopback address (127.0.0.N in local mode); null before it has one.</summary>
    public string? Ip { get; init; }

    /// <summary>The pod phase (Pending, Running, Succeeded, Failed, Unknown).</summary>
    public string Phase { get; init; } = "Pending";

    /// <summary>The pod's Ready condition: the balancer sends it new connections.</summary>
    public bool Ready { get; init; }

    /// <summary>Live WebSocket connections on the pod.</summary>
    public long Connections { get; init; }

    public int Restarts { get; init; }

    /// <summary>The pod's <c>pod-template-hash</c> label: which ReplicaSet (revision of the template) it belongs to.</summary>
    public string? TemplateHash { get; init; }

    /// <summary>When its deletion began (the pod's deletionTimestamp); null while it is not terminating.</summary>
    public DateTimeOffset? TerminatingSince { get; init; }

    public bool IsTerminating => TerminatingSince is not null;

    /// <summary>Terminating with connections still open: it takes no new ones and waits for these to close.</summary>
    public bool IsDraining => IsTerminating && Connections > 0;

    /// <summary>Takes new connections: ready and not on its way out.</summary>
    public bool IsServing => Ready && !IsTerminating;
}
