namespace WsPool.Local.View;

/// <summary>One ReplicaSet of the backend Deployment: a revision of the pod template and how many of its pods run.</summary>
public sealed record RevisionSnapshot
{
    public required string Name { get; init; }

    /// <summary>The <c>pod-template-hash</c> its pods carry.</summary>
    public required string TemplateHash { get; init; }

    /// <summary>The Deployment's <c>deployment.kubernetes.io/revision</c> of this template (higher is newer; 0 unknown).</summary>
    public long Revision { get; init; }

    public int Replicas { get; init; }
    public int ReadyReplicas { get; init; }
}
