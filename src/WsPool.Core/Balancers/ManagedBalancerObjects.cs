using System.Security.Cryptography;
using System.Text;
using k8s.Models;
using WsPool.Core.Api;
using WsPool.Core.Rendering;

namespace WsPool.Core.Balancers;

/// <summary>
/// What differs between the managed HAProxy and NGINX Deployments. Reloader (NGINX): a sidecar, given the image and
/// the balancer container's mounts, that reloads the balancer in place when the mounted config changes; the pod then
/// shares its process namespace so the sidecar can signal the master.
/// </summary>
internal sealed record ManagedBalancerKind(
    string ContainerName,
    string DefaultImage,
    long RunAsUser,
    string ConfigDir,
    string ConfigFile,
    string RunDir,
    IList<string> Command,
    IList<V1EnvVar> Env,
    Func<string, IList<V1VolumeMount>, V1Container>? Reloader = null);

/// <summary>The Kubernetes objects of a managed balancer: ConfigMap, Deployment and Service (plus the cookie-key Secret).</summary>
internal static class ManagedBalancerObjects
{
    /// <summary>The pod template annotation holding the config's SHA-256: the Deployment rolls only when the config changes.</summary>
    public const string ConfigChecksumAnnotation = "wspool.dev/config-checksum";

    public static V1ConfigMap ConfigMap(PoolNames names, string file, string text) =>
        ConfigMap(names, new Dictionary<string, string> { [file] = text });

    public static V1ConfigMap ConfigMap(PoolNames names, IDictionary<string, string> files) => new()
    {
        ApiVersion = "v1",
        Kind = "ConfigMap",
        Metadata = Meta(names, names.Balancer),
        Data = files,
    };

    public static string Checksum(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    /// <summary>
    /// The balancer Deployment. checksumSource is what rolls the pods when it changes: the whole config for HAProxy
    /// (its config never changes on scaling), the config without its upstream servers plus the reload script for
    /// NGINX (endpoint changes are reloaded in place).
    /// </summary>
    public static V1Deployment Deployment(WebSocketPool pool, ManagedBalancerKind kind, string checksumSource)
    {
        var names = PoolNames.Of(pool);
        var balancer = pool.Spec.Balancer;
        var drain = BalancerDuration.Parse(pool.Spec.Drain.Timeout) + BalancerDuration.Parse(pool.Spec.Drain.PreStopDelay);
        var mounts = new List<V1VolumeMount>
        {
            new() { Name = "config", MountPath = kind.ConfigDir, ReadOnlyProperty = true },
            new() { Name = "run", MountPath = kind.RunDir },
        };
        var volumes = new List<V1Volume>
        {
            new() { Name = "config", ConfigMap = new V1ConfigMapVolumeSource { Name = names.Balancer } },
            new() { Name = "run", EmptyDir = new V1EmptyDirVolumeSource() },
        };
        if (balancer.Tls is { } tls)
        {
            mounts.Add(new V1VolumeMount { Name = "tls", MountPath = BalancerPaths.TlsDir, ReadOnlyProperty = true });
            volumes.Add(new V1Volume { Name = "tls", Secret = new V1SecretVolumeSource { SecretName = tls.SecretName } });
        }
        var probe = new V1Probe
        {
            HttpGet = new V1HTTPGetAction { Path = "/healthz", Port = "observe" },
            PeriodSeconds = 5,
            FailureThreshold = 3,
        };
        var container = new V1Container
        {
            Name = kind.ContainerName,
            Image = balancer.Image ?? kind.DefaultImage,
            Command = kind.Command,
            Env = kind.Env.Count == 0 ? null : kind.Env,
            Ports = ContainerPorts(balancer),
            VolumeMounts = mounts,
            ReadinessProbe = probe,
            LivenessProbe = new V1Probe { HttpGet = probe.HttpGet, PeriodSeconds = 10, FailureThreshold = 6 },
            Resources = new V1ResourceRequirements
            {
                Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("100m"), ["memory"] = new("128Mi") },
            },
            SecurityContext = RestrictedContainer(),
        };
        var image = container.Image;
        List<V1Container> containers = kind.Reloader is null ? [container] : [container, kind.Reloader(image, mounts)];
        return new V1Deployment
        {
            ApiVersion = "apps/v1",
            Kind = "Deployment",
            Metadata = Meta(names, names.Balancer),
            Spec = new V1DeploymentSpec
            {
                Replicas = balancer.Replicas,
                Selector = new V1LabelSelector { MatchLabels = PoolLabels.Selector(names.Pool, PoolLabels.BalancerComponent) },
                // Add the new balancer pod before an old one leaves: a rollout never lowers capacity.
                Strategy = new V1DeploymentStrategy
                {
                    Type = "RollingUpdate",
                    RollingUpdate = new V1RollingUpdateDeployment { MaxUnavailable = 0, MaxSurge = 1 },
                },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta
                    {
                        Labels = PoolLabels.For(names.Pool, PoolLabels.BalancerComponent),
                        Annotations = new Dictionary<string, string> { [ConfigChecksumAnnotation] = Checksum(checksumSource) },
                    },
                    Spec = new V1PodSpec
                    {
                        // Open WebSockets get the drain window before the balancer pod is killed.
                        TerminationGracePeriodSeconds = (long)Math.Ceiling(drain.TotalSeconds) + 10,
                        SecurityContext = new V1PodSecurityContext
                        {
                            RunAsNonRoot = true,
                            RunAsUser = kind.RunAsUser,
                            RunAsGroup = kind.RunAsUser,
                            SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" },
                        },
                        // The reloader signals the balancer's master process, so it must see it.
                        ShareProcessNamespace = kind.Reloader is null ? null : true,
                        Containers = containers,
                        Volumes = volumes,
                    },
                },
            },
        };
    }

    /// <summary>The restricted Pod Security Standard's container settings: non-root, no privileges, read-only root.</summary>
    public static V1SecurityContext RestrictedContainer() => new()
    {
        AllowPrivilegeEscalation = false,
        ReadOnlyRootFilesystem = true,
        RunAsNonRoot = true,
        Capabilities = new V1Capabilities { Drop = ["ALL"] },
    };

    private static List<V1ContainerPort> ContainerPorts(BalancerSpec balancer)
    {
        var ports = new List<V1ContainerPort>();
        if (balancer.Tls is null || balancer.Tls.RedirectHttp) ports.Add(new V1ContainerPort { Name = "http", ContainerPort = BalancerPorts.Http });
        if (balancer.Tls is not null) ports.Add(new V1ContainerPort { Name = "https", ContainerPort = BalancerPorts.Https });
        ports.Add(new V1ContainerPort { Name = "observe", ContainerPort = BalancerPorts.Observability });
        return ports;
    }

    public static V1Service Service(WebSocketPool pool)
    {
        var names = PoolNames.Of(pool);
        var balancer = pool.Spec.Balancer;
        var ports = new List<V1ServicePort>();
        if (balancer.Tls is null)
        {
            ports.Add(new V1ServicePort { Name = "http", Port = balancer.Port ?? 80, TargetPort = "http", Protocol = "TCP" });
        }
        else
        {
            ports.Add(new V1ServicePort { Name = "https", Port = balancer.Port ?? 443, TargetPort = "https", Protocol = "TCP" });
            if (balancer.Tls.RedirectHttp && (balancer.Port ?? 443) != 80)
                ports.Add(new V1ServicePort { Name = "http", Port = 80, TargetPort = "http", Protocol = "TCP" });
        }
        var external = balancer.ServiceType != BalancerServiceType.ClusterIP;
        return new V1Service
        {
            ApiVersion = "v1",
            Kind = "Service",
            Metadata = Meta(names, names.Balancer),
            Spec = new V1ServiceSpec
            {
                Type = balancer.ServiceType.ToString(),
                Selector = PoolLabels.Selector(names.Pool, PoolLabels.BalancerComponent),
                Ports = ports,
                // Local keeps the client's source address (ClientIP affinity and logs need it) instead of a node's.
                ExternalTrafficPolicy = external ? "Local" : null,
            },
        };
    }

    public static V1ObjectMeta Meta(PoolNames names, string name) => new()
    {
        Name = name,
        NamespaceProperty = names.Namespace,
        Labels = PoolLabels.For(names.Pool, PoolLabels.BalancerComponent),
    };
}
