using WsPool.Local.View;

namespace WsPool.Local.Tests.View;

/// <summary>A snapshot of examples/chat.yaml's pool running locally, for the view tests to vary.</summary>
public static class Snapshots
{
    public static readonly DateTimeOffset Now = new(2026, 12, 5, 12, 0, 0, TimeSpan.Zero);

    public static PoolSnapshot Pool { get; } = new()
    {
        Namespace = "chat",
        Name = "chat",
        Url = "ws://127.0.0.1:8080/ws",
        DesiredReplicas = 3,
        ReadyReplicas = 2,
        MinReplicas = 2,
        MaxReplicas = 12,
        TargetPerPod = 2000,
        LimitPerPod = 4000,
    };

    public static PodSnapshot Ready(string name, string ip, long connections) =>
        new() { Name = name, Ip = ip, Phase = "Running", Ready = true, Connections = connections };

    public static LocalSnapshot With(params PodSnapshot[] pods) => new() { Time = Now, Pool = Pool, Pods = pods };
}
