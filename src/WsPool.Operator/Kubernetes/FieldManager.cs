namespace WsPool.Operator.Kubernetes;

/// <summary>Names the operator writes under.</summary>
public static class FieldManager
{
    /// <summary>The server-side apply field manager: every field the operator sets belongs to it.</summary>
    public const string Name = "wspool-operator";

    /// <summary>Events' reportingController.</summary>
    public const string ReportingController = "wspool.dev/operator";

    /// <summary>The hash of the intent last applied to an object: a changed intent always means a new apply.</summary>
    public const string AppliedHashAnnotation = "wspool.dev/applied-hash";
}
