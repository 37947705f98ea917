namespace WsPool.Core.Status;

/// <summary>The two Event types Kubernetes knows: Normal, and Warning for what a user should act on.</summary>
public static class EventTypes
{
    public const string Normal = "Normal";
    public const string Warning = "Warning";
}
