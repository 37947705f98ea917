namespace WsPool.KubeEmulator.Registry;

/// <summary>
/// Per-request write parameters: the field manager, dry run, force (apply only), the field validation directive
/// (<c>Strict</c>, <c>Warn</c> — the default — or <c>Ignore</c>), and the warnings the answer carries.
/// </summary>
public sealed record WriteOptions(string FieldManager, bool DryRun = false, bool Force = false, string FieldValidation = "Warn")
{
    public static WriteOptions Internal(string manager) => new(manager);

    /// <summary>Warnings for the response's <c>Warning: 299</c> headers, in order.</summary>
    public List<string> Warnings { get; init; } = [];
}

/// <summary>
/// DELETE parameters (DeleteOptions body and query): preconditions, propagation policy and the grace period (null:
/// the object's own, e.g. a pod's terminationGracePeriodSeconds).
/// </summary>
public sealed record DeleteRequest(
    string? PreconditionUid = null,
    string? PreconditionResourceVersion = null,
    string PropagationPolicy = "Background",
    bool DryRun = false,
    long? GracePeriodSeconds = null);

/// <summary>The patch formats the API accepts, by Content-Type.</summary>
public enum PatchKind { Json, Merge, StrategicMerge, Apply }

public static class PatchKinds
{
    public static PatchKind? FromContentType(string? contentType)
    {
        var media = contentType?.Split(';')[0].Trim().ToLowerInvariant();
        return media switch
        {
            "application/json-patch+json" => PatchKind.Json,
            "application/merge-patch+json" => PatchKind.Merge,
            "application/strategic-merge-patch+json" => PatchKind.StrategicMerge,
            "application/apply-patch+yaml" or "application/apply-patch+json" or "application/apply-patch+cbor" => PatchKind.Apply,
            _ => null,
        };
    }
}
