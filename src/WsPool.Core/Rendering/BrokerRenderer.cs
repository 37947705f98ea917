using System.Security.Cryptography;
using System.Text;
using k8s.Models;
using WsPool.Core.Api;

namespace WsPool.Core.Rendering;

/// <summary>
/// The managed Redis broker: its password Secret, Service and Deployment. A pool without a managed broker
/// (None, or External, whose Redis someone else runs) renders none of them.
/// </summary>
public static class BrokerRenderer
{
    public const int RedisPort = 6379;
    public const string PortName = "redis";
    /// <summary>The Redis (6+) user that `--requirepass` protects.</summary>
    public const string RedisUser = "default";
    /// <summary>The key of the password in the broker Secret.</summary>
    public const string PasswordKey = "password";
    /// <summary>The Redis user and group of the official image.</summary>
    public const long RedisUserId = 999;
    public const string DataPath = "/data";

    /// <summary>The Redis Service's in-cluster DNS name.</summary>
    public static string ServiceHost(PoolNames names) => $"{names.Redis}.{names.Namespace}.svc";

    /// <summary>The Redis password (a managed broker): generated once by the operator, never rotated.</summary>
    public static GeneratedValue Password(PoolNames names) => new(names.RedisSecret, PasswordKey);

    /// <summary>The generated values a managed broker's objects carry.</summary>
    public static IReadOnlyList<GeneratedValue> GeneratedValues(WebSocketPool pool) =>
        pool.Spec?.Broker?.Type == BrokerType.Managed ? [Password(PoolNames.Of(pool))] : [];

    public static BrokerObjects Render(WebSocketPool pool, RenderOptions options)
    {
        if (pool.Spec?.Broker?.Type != BrokerType.Managed)
            return BrokerObjects.None;
        var names = PoolNames.Of(pool);
        string? password = null;
        options.GeneratedValues?.TryGetValue(Password(names), out password);
        var annotations = PodTemplateAnnotations(password);
        var secret = GeneratedSecret.Render(names, Password(names), options, PoolLabels.BrokerComponent);
        return new BrokerObjects(secret, Service(names), Deployment(pool, names, annotations), annotations);
    }

    /// <summary>
    /// When the password is known, both Redis and its clients carry its checksum in their pod templates (see
    /// PoolAnnotations.RedisPasswordChecksum). Offline, the password is unknown and nothing is annotated.
    /// </summary>
    private static IReadOnlyDictionary<string, string> PodTemplateAnnotations(string? password) =>
        password is null
            ? new Dictionary<string, string>()
            : new Dictionary<string, string>
            {
                [PoolAnnotations.RedisPasswordChecksum] = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(password))),
            };

    private static V1Service Service(PoolNames names) => new()
    {
        ApiVersion = "v1",
        Kind = V1Service.KubeKind,
        Metadata = Metadata(names, names.Redis),
        Spec = new V1ServiceSpec
        {
            Type = "ClusterIP",
            Selector = PoolLabels.Selector(names.Pool, PoolLabels.BrokerComponent),
            Ports = new List<V1ServicePort>
            {
                new() { Name = PortName, Protocol = "TCP", Port = RedisPort, TargetPort = PortName },
            },
        },
    };

    private static V1Deployment Deployment(WebSocketPool pool, PoolNames names, IReadOnlyDictionary<string, string> annotations)
    {
        var image = pool.Spec?.Broker?.Managed?.Image is { Length: > 0 } configured ? configured : new ManagedBrokerSpec().Image;
        var passwordFromSecret = new V1EnvVarSource
        {
            SecretKeyRef = new V1SecretKeySelector { Name = names.RedisSecret, Key = PasswordKey },
        };
        var redis = new V1Container
        {
            Name = "redis",
            Image = image,
            // redis-server directly, not the image's shell entrypoint: nothing needs root or a shell.
            Command = new List<string> { "redis-server" },
            // A broadcast broker keeps no state worth saving: no RDB snapshots, no append-only file.
            // Kubernetes expands $(REDIS_PASSWORD) from the env below, so the password is never in the spec.
            Args = new List<string>
            {
                "--port", RedisPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--requirepass", "$(REDIS_PASSWORD)",
                "--save", "",
                "--appendonly", "no",
                "--dir", DataPath,
            },
            Env = new List<V1EnvVar>
            {
                new() { Name = "REDIS_PASSWORD", ValueFrom = passwordFromSecret },
                // redis-cli reads its password from REDISCLI_AUTH, so the probe needs neither a shell nor the
                // password on its command line.
                new() { Name = "REDISCLI_AUTH", ValueFrom = ObjectCopy.Deep(passwordFromSecret) },
            },
            Ports = new List<V1ContainerPort> { new() { Name = PortName, ContainerPort = RedisPort, Protocol = "TCP" } },
            // `-e` makes redis-cli exit non-zero on an error reply (NOAUTH, WRONGPASS, LOADING), which a bare
            // `redis-cli ping` does not.
            ReadinessProbe = new V1Probe
            {
                Exec = new V1ExecAction { Command = new List<string> { "redis-cli", "-e", "-p", RedisPort.ToString(System.Globalization.CultureInfo.InvariantCulture), "ping" } },
                InitialDelaySeconds = 2,
                PeriodSeconds = 5,
                TimeoutSeconds = 3,
                FailureThreshold = 3,
            },
            LivenessProbe = new V1Probe
            {
                TcpSocket = new V1TCPSocketAction { Port = PortName },
                InitialDelaySeconds = 10,
                PeriodSeconds = 10,
                TimeoutSeconds = 3,
                FailureThreshold = 3,
            },
            Resources = new V1ResourceRequirements
            {
                Requests = new Dictionary<string, ResourceQuantity>
                {
                    ["cpu"] = new("50m"),
                    ["memory"] = new("64Mi"),
                },
                Limits = new Dictionary<string, ResourceQuantity>
                {
                    ["memory"] = new("256Mi"),
                },
            },
            // The "restricted" Pod Security Standard, and a read-only root: Redis writes only to /data.
            SecurityContext = new V1SecurityContext
            {
                RunAsNonRoot = true,
                RunAsUser = RedisUserId,
                RunAsGroup = RedisUserId,
                ReadOnlyRootFilesystem = true,
                AllowPrivilegeEscalation = false,
                Capabilities = new V1Capabilities { Drop = new List<string> { "ALL" } },
                SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" },
            },
            VolumeMounts = new List<V1VolumeMount> { new() { Name = "data", MountPath = DataPath } },
        };

        return new V1Deployment
        {
            ApiVersion = "apps/v1",
            Kind = V1Deployment.KubeKind,
            Metadata = Metadata(names, names.Redis),
            Spec = new V1DeploymentSpec
            {
                Replicas = 1,
                Selector = new V1LabelSelector { MatchLabels = PoolLabels.Selector(names.Pool, PoolLabels.BrokerComponent) },
                // One broker at a time: during a rolling update two Redis instances behind one Service would split
                // the pool's backends between them, and broadcasts would silently reach only half the clients.
                Strategy = new V1DeploymentStrategy { Type = "Recreate" },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta
                    {
                        Labels = PoolLabels.For(names.Pool, PoolLabels.BrokerComponent),
                        Annotations = annotations.Count > 0 ? new Dictionary<string, string>(annotations) : null,
                    },
                    Spec = new V1PodSpec
                    {
                        // Redis never talks to the Kubernetes API, and Service links would only add noise to its env.
                        AutomountServiceAccountToken = false,
                        EnableServiceLinks = false,
                        SecurityContext = new V1PodSecurityContext
                        {
                            RunAsNonRoot = true,
                            RunAsUser = RedisUserId,
                            RunAsGroup = RedisUserId,
                            FsGroup = RedisUserId,
                            SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" },
                        },
                        Containers = new List<V1Container> { redis },
                        Volumes = new List<V1Volume> { new() { Name = "data", EmptyDir = new V1EmptyDirVolumeSource() } },
                    },
                },
            },
        };
    }

    private static V1ObjectMeta Metadata(PoolNames names, string name) => new()
    {
        Name = name,
        NamespaceProperty = names.Namespace,
        Labels = PoolLabels.For(names.Pool, PoolLabels.BrokerComponent),
    };
}

/// <summary>
/// The managed broker's objects (all null when the pool has no managed broker), and the annotations the backend
/// pod template carries for the broker.
/// </summary>
public sealed record BrokerObjects(
    V1Secret? Secret,
    V1Service? Service,
    V1Deployment? Deployment,
    IReadOnlyDictionary<string, string> BackendPodAnnotations)
{
    public static BrokerObjects None { get; } = new(null, null, null, new Dictionary<string, string>());
}
