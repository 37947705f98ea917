#pragma warning disable CS0618 // WatchAsync is marked obsolete in KubernetesClient 21 but is the documented way to watch.
namespace WsPool.KubeEmulator.Tests;

/// <summary>Objects and reads for the tests of simulated workloads (Deployments, ReplicaSets, Pods, EndpointSlices).</summary>
internal static class Workloads
{
    public const string Ns = "default";

    public static EmulatorOptions Options(bool kubelet = true, TimeProvider? time = null, TimeSpan? stopDelay = null) => new()
    {
        Workloads = WorkloadSimulation.ReplicaSetsAndPods,
        SimulateKubelet = kubelet,
        Time = time ?? TimeProvider.System,
        PodStopDelay = stopDelay ?? TimeSpan.Zero,
    };

    public static V1PodTemplateSpec Template(string app, string image) => new()
    {
        Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = app } },
        Spec = new V1PodSpec
        {
            Containers =
            [
                new V1Container { Name = "main", Image = image, Ports = [new V1ContainerPort { Name = "ws", ContainerPort = 8080 }] },
            ],
        },
    };

    public static V1Deployment Deployment(string name, int replicas, string image = "chat:1", IntOrString? maxSurge = null,
        IntOrString? maxUnavailable = null, bool recreate = false, int? minReadySeconds = null) => new()
    {
        ApiVersion = "apps/v1",
        Kind = "Deployment",
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = Ns },
        Spec = new V1DeploymentSpec
        {
            Replicas = replicas,
            MinReadySeconds = minReadySeconds,
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = name } },
            Strategy = recreate
                ? new V1DeploymentStrategy { Type = "Recreate" }
                : maxSurge is null && maxUnavailable is null
                    ? null
                    : new V1DeploymentStrategy
                    {
                        Type = "RollingUpdate",
                        RollingUpdate = new V1RollingUpdateDeployment { MaxSurge = maxSurge, MaxUnavailable = maxUnavailable },
                    },
            Template = Template(name, image),
        },
    };

    public static V1ReplicaSet ReplicaSet(string name, int replicas) => new()
    {
        ApiVersion = "apps/v1",
        Kind = "ReplicaSet",
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = Ns },
        Spec = new V1ReplicaSetSpec
        {
            Replicas = replicas,
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = name } },
            Template = Template(name, "chat:1"),
        },
    };

    public static V1Service Service(string name, string app, string? clusterIp = null, bool? publishNotReady = null) => new()
    {
        ApiVersion = "v1",
        Kind = "Service",
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = Ns, Labels = new Dictionary<string, string> { ["app.kubernetes.io/instance"] = app } },
        Spec = new V1ServiceSpec
        {
            Selector = new Dictionary<string, string> { ["app"] = app },
            ClusterIP = clusterIp,
            PublishNotReadyAddresses = publishNotReady,
            Ports = [new V1ServicePort { Name = "ws", Port = 80, TargetPort = "ws" }],
        },
    };

    public static List<V1Pod> Pods(KubeApiEmulator api, string app) =>
        api.Store.List<V1Pod>(Ns).Where(p => p.Metadata.Labels is { } labels && labels.TryGetValue("app", out var a) && a == app).OrderBy(p => p.Metadata.Name).ToList();

    /// <summary>The Deployment's ReplicaSets by revision (creation times tie within a second).</summary>
    public static List<V1ReplicaSet> ReplicaSetsOf(KubeApiEmulator api, string deployment) =>
        api.Store.List<V1ReplicaSet>(Ns).Where(r => r.Metadata.OwnerReferences?.Any(o => o.Name == deployment) == true)
            .OrderBy(r => int.Parse(r.Metadata.Annotations["deployment.kubernetes.io/revision"])).ToList();

    public static bool IsReady(V1Pod pod) => pod.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true;

    public static bool IsTerminating(V1Pod pod) => pod.Metadata.DeletionTimestamp is not null;

    public static string Image(V1Pod pod) => pod.Spec.Containers[0].Image;

    public static string Describe(IEnumerable<V1Pod> pods) => string.Join(", ", pods.Select(p =>
        $"{p.Metadata.Name}({Image(p)}, {p.Status?.Phase}, ready={IsReady(p)}{(IsTerminating(p) ? ", terminating" : "")})"));

    public static string Describe(V1Deployment d) =>
        $"generation {d.Metadata.Generation}, status {KubernetesJson.Serialize(d.Status)}";

    public static V1DeploymentCondition? Condition(V1Deployment d, string type) => d.Status?.Conditions?.FirstOrDefault(c => c.Type == type);

    /// <summary>Waits until every replica runs the Deployment's current template and is available, and no old pod is left.</summary>
    public static Task<V1Deployment> RolledOutAsync(KubeApiEmulator api, string name, TimeSpan? timeout = null) =>
        Eventually.ValueAsync(() => api.Store.Get<V1Deployment>(Ns, name)!,
            d => d.Status is { } s && s.ObservedGeneration == d.Metadata.Generation && s.UpdatedReplicas == d.Spec.Replicas
                 && s.AvailableReplicas == d.Spec.Replicas && s.Replicas == d.Spec.Replicas
                 && Condition(d, "Progressing")?.Reason == "NewReplicaSetAvailable",
            $"deployment {name} to be rolled out", timeout ?? Support.Wait, Describe);

    /// <summary>The status a process runner (local mode's kubelet) writes for a pod that runs.</summary>
    public static V1PodStatus Running(string ip, bool ready, DateTime now) => new()
    {
        Phase = "Running",
        PodIP = ip,
        PodIPs = [new V1PodIP { Ip = ip }],
        HostIP = "127.0.0.1",
        StartTime = now,
        Conditions =
        [
            new V1PodCondition { Type = "Ready", Status = ready ? "True" : "False", LastTransitionTime = now },
            new V1PodCondition { Type = "ContainersReady", Status = ready ? "True" : "False", LastTransitionTime = now },
        ],
    };

    /// <summary>Marks a pod ready or not through the status subresource, as a kubelet or runner would.</summary>
    public static void SetReady(KubeApiEmulator api, V1Pod pod, bool ready, string? ip = null)
    {
        var current = api.Store.Get<V1Pod>(Ns, pod.Metadata.Name)!;
        current.Status = Running(ip ?? current.Status?.PodIP ?? "127.0.0.200", ready, DateTime.UtcNow);
        api.Store.UpdateStatus(current);
    }
}

/// <summary>
/// Follows the pods of one app through a real watch and checks a condition after every event, so a state that
/// lasted one write is seen (polling could miss it). <see cref="Seen"/> lists every state observed.
/// </summary>
internal sealed class PodHistory : IAsyncDisposable
{
    private readonly Dictionary<string, V1Pod> _pods = new();
    private readonly List<(int Total, int Available, string Pods)> _seen = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _pump;

    private PodHistory(Kubernetes client, string app, string resourceVersion, IEnumerable<V1Pod> initial)
    {
        foreach (var pod in initial) _pods[pod.Metadata.Name] = pod;
        Record();
        _pump = Task.Run(async () =>
        {
            try
            {
                var response = client.CoreV1.ListNamespacedPodWithHttpMessagesAsync(Workloads.Ns, labelSelector: $"app={app}", watch: true,
                    resourceVersion: resourceVersion, cancellationToken: _stop.Token);
                await foreach (var (type, pod) in response.WatchAsync<V1Pod, V1PodList>(cancellationToken: _stop.Token))
                    lock (_pods)
                    {
                        if (type == WatchEventType.Deleted) _pods.Remove(pod.Metadata.Name);
                        else if (type is WatchEventType.Added or WatchEventType.Modified) _pods[pod.Metadata.Name] = pod;
                        Record();
                    }
            }
            catch (OperationCanceledException) { }
        });
    }

    public static async Task<PodHistory> StartAsync(Kubernetes client, string app)
    {
        var list = await client.CoreV1.ListNamespacedPodAsync(Workloads.Ns, labelSelector: $"app={app}");
        return new PodHistory(client, app, list.Metadata.ResourceVersion, list.Items);
    }

    /// <summary>Every state seen: pods that are not terminating, those of them that are ready, and the pods.</summary>
    public List<(int Total, int Available, string Pods)> Seen
    {
        get { lock (_pods) return [.. _seen]; }
    }

    public List<V1Pod> Current
    {
        get { lock (_pods) return [.. _pods.Values.OrderBy(p => p.Metadata.Name)]; }
    }

    private void Record()
    {
        var active = _pods.Values.Where(p => !Workloads.IsTerminating(p)).ToList();
        _seen.Add((active.Count, active.Count(Workloads.IsReady), Workloads.Describe(_pods.Values.OrderBy(p => p.Metadata.Name))));
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try { await _pump.WaitAsync(Support.Wait); } catch (Exception) { /* the watch ends with the test */ }
        _stop.Dispose();
    }
}
