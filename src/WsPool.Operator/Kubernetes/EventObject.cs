using k8s.Models;

namespace WsPool.Operator.Kubernetes;

/// <summary>An events.k8s.io/v1 Event about one object, shaped as the API server and kubectl expect it.</summary>
public static class EventObject
{
    /// <summary>The API's limit on a note; a longer one is cut with an ellipsis.</summary>
    public const int MaxNote = 1024;

    public static Eventsv1Event About(V1ObjectReference regarding, DateTime now, string reportingController,
        string reportingInstance, string type, string reason, string action, string note) => new()
    {
        ApiVersion = "events.k8s.io/v1",
        Kind = "Event",
        Metadata = new V1ObjectMeta
        {
            // The API server's own naming scheme: the object's name, a dot, a unique suffix.
            Name = $"{regarding.Name}.{now.Ticks:x}{Random.Shared.Next(0x10000):x4}",
            NamespaceProperty = regarding.NamespaceProperty,
        },
        EventTime = now,
        ReportingController = reportingController,
        ReportingInstance = reportingInstance,
        Action = action,
        Reason = reason,
        Type = type,
        Note = note.Length > MaxNote ? note[..(MaxNote - 3)] + "..." : note,
        Regarding = regarding,
    };
}
