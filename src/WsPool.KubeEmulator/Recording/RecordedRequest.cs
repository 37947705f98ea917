namespace WsPool.KubeEmulator.Recording;

/// <summary>One request the emulator answered, for assertions (RBAC, write counts, steady state) and benchmarks.</summary>
public sealed record RecordedRequest
{
    public required DateTimeOffset Time { get; init; }
    public required string Method { get; init; }
    public required string Path { get; init; }
    /// <summary>get, list, watch, create, update, patch, delete, deletecollection, or discovery.</summary>
    public required string Verb { get; init; }
    public string ApiGroup { get; init; } = "";
    public string Version { get; init; } = "";
    public string Resource { get; init; } = "";
    public string? Subresource { get; init; }
    public string? Namespace { get; init; }
    public string? Name { get; init; }
    public int StatusCode { get; init; }
    public string? UserAgent { get; init; }
    public string? FieldManager { get; init; }
    public string? ContentType { get; init; }
    /// <summary>The fault injected into this request, if any (e.g. "ServerError").</summary>
    public string? Fault { get; init; }

    public bool IsWrite => Verb is "create" or "update" or "patch" or "delete" or "deletecollection";
}
