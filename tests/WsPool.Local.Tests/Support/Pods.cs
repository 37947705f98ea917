using k8s.Models;

namespace WsPool.Local.Tests.Support;

/// <summary>Pod specs the node tests create.</summary>
public static class Pods
{
    public const string ChatImage = "ghcr.io/wspool/chat-server:0.1.0";

    /// <summary>A chat-server pod as the operator renders a backend: port ws, readiness on /readyz every second.</summary>
    public static V1Pod ChatServer(string name, Action<V1Pod>? edit = null)
    {
        var pod = new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default", Labels = new Dictionary<string, string> { ["app"] = "chat" } },
            Spec = new V1PodSpec
            {
                Containers =
                [
                    new V1Container
                    {
                        Name = "chat",
                        Image = ChatImage,
                        Ports = [new V1ContainerPort { Name = "ws", ContainerPort = 8080 }],
                        Env =
                        [
                            new V1EnvVar { Name = "WSPOOL_LOG_FORMAT", Value = "simple" },
                            new V1EnvVar { Name = "WSPOOL_DRAIN_TIMEOUT", Value = "1s" },
                        ],
                        ReadinessProbe = new V1Probe
                        {
                            HttpGet = new V1HTTPGetAction { Path = "/readyz", Port = "ws" },
                            PeriodSeconds = 1,
                            FailureThreshold = 1,
                        },
                    },
                ],
            },
        };
        edit?.Invoke(pod);
        return pod;
    }

    /// <summary>A one-container pod of <paramref name="image"/> (run through a --run mapping).</summary>
    public static V1Pod Mapped(string name, string image, int? port = null, Action<V1Pod>? edit = null)
    {
        var pod = new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default" },
            Spec = new V1PodSpec
            {
                Containers =
                [
                    new V1Container
                    {
                        Name = "main",
                        Image = image,
                        Ports = port is null ? null : [new V1ContainerPort { Name = "http", ContainerPort = port.Value }],
                    },
                ],
            },
        };
        edit?.Invoke(pod);
        return pod;
    }
}
