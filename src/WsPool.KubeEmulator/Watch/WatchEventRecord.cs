using System.Text;
using WsPool.KubeEmulator.Storage;

namespace WsPool.KubeEmulator.Watch;

public enum WatchEventType { Added, Modified, Deleted }

/// <summary>One change in a resource's history: the new state and, for MODIFIED and DELETED, the state before.</summary>
public sealed record WatchEventRecord(WatchEventType Type, StoredObject Object, StoredObject? Previous)
{
    public long ResourceVersion => Object.ResourceVersion;

    public static string Wire(WatchEventType t) => t switch
    {
        WatchEventType.Added => "ADDED",
        WatchEventType.Modified => "MODIFIED",
        _ => "DELETED",
    };

    /// <summary>One line of a watch stream: <c>{"type":"ADDED","object":{...}}\n</c>.</summary>
    public static byte[] Line(string type, byte[] objectJson)
    {
        var prefix = Encoding.UTF8.GetBytes($"{{\"type\":\"{type}\",\"object\":");
        var line = new byte[prefix.Length + objectJson.Length + 2];
        prefix.CopyTo(line, 0);
        objectJson.CopyTo(line, prefix.Length);
        line[^2] = (byte)'}';
        line[^1] = (byte)'\n';
        return line;
    }
}
