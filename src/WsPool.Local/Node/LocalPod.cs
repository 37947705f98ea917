using System.Net;
using System.Threading.Channels;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace WsPool.Local.Node;

/// <summary>Why a pod stops: a deletion (confirmed to the API afterwards) or the node shutting down (not confirmed).</summary>
internal sealed record TerminationRequest(TimeSpan Grace, bool Confirm);

/// <summary>
/// One pod on the local node, from the first sight of it to the confirmation of its deletion: chooses what runs for
/// each image, takes an address, writes its volumes, resolves its variables, starts its containers, keeps mounted
/// ConfigMaps and Secrets current (reloading a balancer when its files change), reports status, and terminates by
/// the drain contract (<see cref="PodTermination"/>). A pod that cannot start (an image without a command, a missing
/// Secret) stays Pending with the kubelet's waiting reason, an event that says what to do, and (for missing objects)
/// a retry whenever they may have appeared.
/// </summary>
internal sealed class LocalPod
{
    private readonly NodeContext _node;
    private readonly Lock _lock = new();
    private readonly VolumeFiles _volumes;
    private readonly PodStatusBuilder _status;
    private readonly PodStatusWriter _writer;
    private readonly TaskCompletionSource<TerminationRequest> _termination = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _hurry = new();
    private readonly Channel<bool> _sourcesChanged = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly HashSet<string> _reported = new(StringComparer.Ordinal);
    private readonly string _who;

    private V1Pod _pod;
    private IPAddress? _ip;
    private string? _statusIP;
    private List<ContainerRun>? _runs;
    private IReadOnlyList<ContainerView> _waiting;
    private DateTimeOffset? _terminatingSince;
    private bool _stopped;
    private LocalPodSnapshot _snapshot;

    public LocalPod(V1Pod pod, NodeContext node)
    {
        _pod = pod;
        _node = node;
        Namespace = pod.Metadata.NamespaceProperty ?? "default";
        Name = pod.Metadata.Name;
        Uid = pod.Metadata.Uid ?? "";
        _who = $"{Namespace}/{Name}";
        // Named by uid, short: a unix socket path inside it (HAProxy's stats socket) must stay under 108 bytes
        // (97 for HAProxy) however long the state directory and the pod's name are. A link names it for people.
        Directory = Path.Combine(node.Options.StateDirectory, Uid.Length > 8 ? Uid[..8] : Uid);
        LinkForPeople(node.Options.StateDirectory, $"{Namespace}_{Name}", Directory);
        _volumes = new VolumeFiles(pod, Directory);
        _status = new PodStatusBuilder(DateTimeOffset.UtcNow, node.Options.HostIP);
        _writer = new PodStatusWriter(node.Client, Namespace, Name, node.Logger);
        _waiting = Containers.Select(c => ContainerView.NotStarted(c, null, "ContainerCreating", null, LogFileOf(c))).ToList();
        _snapshot = BuildSnapshot(PodStatusBuilder.Pending, _waiting);
    }

    private static void LinkForPeople(string root, string name, string target)
    {
        try
        {
            System.IO.Directory.CreateDirectory(target);
            var link = new DirectoryInfo(Path.Combine(root, name));
            // A pod of the same name from before (another uid): the link follows the newest.
            if (link.LinkTarget is not null) link.Delete();
            else if (link.Exists) return;
            System.IO.Directory.CreateSymbolicLink(link.FullName, Path.GetFileName(target));
        }
        catch (IOException)
        {
            // Only a convenience: the pod runs from its uid directory either way.
        }
    }

    public string Namespace { get; }
    public string Name { get; }
    public string Uid { get; }
    public string Directory { get; }

    /// <summary>Completes when the pod is over: its processes gone, its address released, its deletion confirmed.</summary>
    public Task Completion { get; private set; } = Task.CompletedTask;

    public LocalPodSnapshot Snapshot => Volatile.Read(ref _snapshot);

    private IList<V1Container> Containers => _pod.Spec?.Containers ?? [];

    public void Start() => Completion = Task.Run(RunAsync);

    /// <summary>The pod as the watch sees it now; a deletionTimestamp starts termination.</summary>
    public void Update(V1Pod pod)
    {
        lock (_lock) _pod = pod;
        if (pod.Metadata.DeletionTimestamp is not null)
            _termination.TrySetResult(new TerminationRequest(PodTermination.GraceOf(pod), Confirm: true));
    }

    /// <summary>The pod left the API (or the node's selection) before its processes stopped: terminate it now.</summary>
    public void Gone(V1Pod last) => _termination.TrySetResult(new TerminationRequest(PodTermination.GraceOf(last), Confirm: true));

    /// <summary>A ConfigMap or Secret changed: resync this pod's files if it uses it.</summary>
    public void SourceChanged(string kind, string name)
    {
        if (Uses(kind, name)) _sourcesChanged.Writer.TryWrite(true);
    }

    /// <summary>The node is going away: stop now (SIGTERM, the shutdown grace, SIGKILL) and write nothing more.</summary>
    public async Task ShutdownAsync()
    {
        _termination.TrySetResult(new TerminationRequest(_node.Options.ShutdownGrace, Confirm: false));
        await _hurry.CancelAsync();
        await Completion;
    }

    /// <summary>SIGKILL to every process of the pod, synchronously (the host process is exiting).</summary>
    public void KillNow()
    {
        List<ContainerRun>? runs;
        lock (_lock) runs = _runs;
        foreach (var run in runs ?? []) run.KillNow();
    }

    private bool Uses(string kind, string name)
    {
        if (_volumes.Sources.Contains((kind, name))) return true;
        return Containers.Any(c =>
            (c.EnvFrom ?? []).Any(f => kind == "configmap" ? f.ConfigMapRef?.Name == name : f.SecretRef?.Name == name)
            || (c.Env ?? []).Any(e => kind == "configmap" ? e.ValueFrom?.ConfigMapKeyRef?.Name == name : e.ValueFrom?.SecretKeyRef?.Name == name));
    }

    private async Task RunAsync()
    {
        try
        {
            Publish();
            if (await PrepareAsync())
            {
                _ = Task.Run(SyncVolumesAsync);
                List<ContainerRun> runs;
                lock (_lock) runs = _runs!;
                var allEnded = Task.WhenAll(runs.Select(r => r.Completion));
                if (await Task.WhenAny(allEnded, _termination.Task) == allEnded)
                {
                    // Every container ended for good (restartPolicy): the pod is Succeeded or Failed and holds nothing.
                    ReleaseAddress();
                    Publish();
                }
            }
            await TerminateAsync(await _termination.Task);
        }
        catch (Exception e)
        {
            _node.Logger.LogError(e, "Pod {Pod}: the node failed to run it", _who);
            foreach (var run in _runs ?? []) run.KillNow();
        }
        finally
        {
            ReleaseAddress();
            await _writer.StopAsync();
        }
    }

    /// <summary>Gets the pod to the point where its containers run; false when it never will (or was deleted first).</summary>
    private async Task<bool> PrepareAsync()
    {
        var containers = Containers.ToList();
        var kinds = containers.Select(_node.Images.KindOf).ToList();
        if (kinds.Any(k => k is null))
        {
            var views = containers.Select((c, i) => kinds[i] is null
                ? ContainerView.NotStarted(c, null, "ImageNotMapped", ImageCommands.UnmappedMessage(c), LogFileOf(c))
                : ContainerView.NotStarted(c, kinds[i], "ContainerCreating", null, LogFileOf(c))).ToList();
            lock (_lock) _waiting = views;
            foreach (var (container, i) in containers.Select((c, i) => (c, i)).Where(p => kinds[p.i] is null))
            {
                var message = ImageCommands.UnmappedMessage(container);
                _node.Logger.LogWarning("Pod {Pod}: {Message}", _who, message);
                _node.Events.Record(_pod, "Warning", "ImageNotMapped", message);
            }
            Publish();
            return false;
        }

        var ip = _node.Addresses.Allocate(_who);
        lock (_lock)
        {
            _ip = ip;
            _statusIP = ip.ToString();
        }
        Publish();
        while (!_termination.Task.IsCompleted)
        {
            try
            {
                var runs = await CreateRunsAsync(containers, kinds.Select(k => k!.Value).ToList(), ip.ToString());
                lock (_lock)
                {
                    if (_termination.Task.IsCompleted) return false;
                    _runs = runs;
                }
                foreach (var run in runs) run.Start();
                return true;
            }
            catch (Exception e) when (e is MissingSourceException or HttpOperationException or HttpRequestException
                                          or InvalidOperationException or FileNotFoundException or IOException)
            {
                var reason = e is MissingSourceException missing ? missing.Reason : "CreateContainerError";
                lock (_lock) _waiting = containers.Select((c, i) => ContainerView.NotStarted(c, kinds[i], reason, e.Message, LogFileOf(c))).ToList();
                bool first;
                lock (_lock) first = _reported.Add(e.Message);
                if (first)
                {
                    _node.Logger.LogWarning("Pod {Pod} cannot start yet: {Message}", _who, e.Message);
                    if (e is not HttpRequestException)
                        _node.Events.Record(_pod, "Warning", reason == "ContainerCreating" ? "FailedMount" : "Failed", e.Message);
                }
                Publish();
                await WaitForRetryAsync();
            }
        }
        return false;
    }

    /// <summary>
    /// Until a ConfigMap or Secret the pod uses changes, the retry interval passes, or the pod is deleted. It only
    /// peeks at the change signal and then clears it (the next attempt reads everything afresh): a read left pending
    /// here would swallow a later change meant for the running pod's volume sync.
    /// </summary>
    private async Task WaitForRetryAsync()
    {
        using var retry = new CancellationTokenSource(_node.Options.MissingSourceRetry);
        var changed = _sourcesChanged.Reader.WaitToReadAsync(retry.Token).AsTask();
        await Task.WhenAny(changed, _termination.Task);
        await retry.CancelAsync();
        try
        {
            await changed;
        }
        catch (OperationCanceledException)
        {
        }
        _sourcesChanged.Reader.TryRead(out _);
    }

    private async Task<List<ContainerRun>> CreateRunsAsync(List<V1Container> containers, List<ContainerKind> kinds, string ip)
    {
        var sources = new PodSources(_node.Client, Namespace);
        void Warn(string message) => _node.Logger.LogWarning("Pod {Pod}: {Message}", _who, message);
        await _volumes.SyncAsync(sources, Warn, CancellationToken.None);
        var runs = new List<ContainerRun>();
        var spec = _pod.Spec ?? new V1PodSpec();
        for (var i = 0; i < containers.Count; i++)
        {
            var container = containers[i];
            var environment = ClusterNames.Substitute(
                await PodEnvironment.ResolveAsync(_pod, container, ip, _node.Options.HostIP, sources, Warn, CancellationToken.None),
                _node.Options.ResolveServiceName);
            var mounts = _volumes.MountsOf(container);
            var command = kinds[i] == ContainerKind.NodeReloader ? null : _node.Images.Build(container, kinds[i], ip, environment, mounts, Directory);
            var actions = new HandlerActions(ip, container, environment, mounts, command?.WorkingDirectory ?? Directory, Warn);
            var livenessGrace = TimeSpan.FromSeconds(container.LivenessProbe?.TerminationGracePeriodSeconds
                                                     ?? spec.TerminationGracePeriodSeconds ?? PodTermination.DefaultGraceSeconds);
            runs.Add(new ContainerRun(container, kinds[i], command, environment, actions, LogFileOf(container), spec.RestartPolicy ?? "Always",
                new RestartBackoff(_node.Options.RestartBackoffBase, _node.Options.RestartBackoffMax), livenessGrace, Publish,
                (type, reason, note) => _node.Events.Record(_pod, type, reason, note), _node.Logger, $"{_who}/{container.Name}"));
        }
        return runs;
    }

    /// <summary>
    /// Keeps the mounted ConfigMaps and Secrets current while the pod runs, as the kubelet does. A balancer whose
    /// config (or another volume it mounts, e.g. its certificate) really changed is reloaded in place, once per change;
    /// a write that leaves the files as they were reloads nothing.
    /// </summary>
    private async Task SyncVolumesAsync()
    {
        if (!_volumes.Sources.Any()) return;
        try
        {
            await foreach (var _ in _sourcesChanged.Reader.ReadAllAsync(_hurry.Token))
            {
                if (_termination.Task.IsCompleted) return;
                try
                {
                    var changed = await _volumes.SyncAsync(new PodSources(_node.Client, Namespace),
                        message => _node.Logger.LogWarning("Pod {Pod}: {Message}", _who, message), _hurry.Token);
                    ReloadBalancers(changed);
                }
                catch (Exception e) when (e is MissingSourceException or HttpOperationException or HttpRequestException or IOException)
                {
                    // The kubelet keeps the last files when a source cannot be read; so does the node.
                    _node.Logger.LogWarning("Pod {Pod}: could not update its volumes ({Error}); keeping the current files", _who, e.Message);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private void ReloadBalancers(IReadOnlySet<string> changedVolumes)
    {
        List<ContainerRun> runs;
        lock (_lock) runs = _runs ?? [];
        foreach (var run in runs.Where(r => r.Kind is ContainerKind.HAProxy or ContainerKind.Nginx))
        {
            var container = Containers.First(c => c.Name == run.Name);
            var configVolumes = run.Configs.Select(c => Path.GetRelativePath(_volumes.Root, c.MountedFile).Split('/')[0]).ToHashSet();
            // Evaluate every config (no short-circuit): each copy must be brought up to date.
            var configChanged = run.Configs.Count(config => config.Refresh()) > 0;
            var otherChanged = (container.VolumeMounts ?? []).Any(m => changedVolumes.Contains(m.Name) && !configVolumes.Contains(m.Name));
            if (configChanged || otherChanged) run.RequestReload();
        }
    }

    private async Task TerminateAsync(TerminationRequest request)
    {
        List<ContainerRun>? runs;
        lock (_lock)
        {
            _terminatingSince ??= DateTimeOffset.UtcNow;
            runs = _runs;
        }
        Publish();
        if (runs is not null)
        {
            if (request.Confirm)
            {
                _node.Logger.LogInformation("Pod {Pod}: terminating with a grace period of {Grace}s", _who, request.Grace.TotalSeconds);
                _node.Events.Record(_pod, "Normal", "Killing", $"Stopping containers {string.Join(", ", runs.Select(r => r.Name))}");
            }
            await PodTermination.StopContainersAsync(runs, request.Grace, _hurry.Token, _node.Options.ShutdownGrace);
        }
        lock (_lock) _stopped = true;
        ReleaseAddress();
        Publish();
        RemoveVolumes();
        if (!request.Confirm || _hurry.IsCancellationRequested) return;
        await _writer.FlushAsync(TimeSpan.FromSeconds(2));
        try
        {
            await PodTermination.ConfirmDeletedAsync(_node.Client, Namespace, Name, Uid, _node.Logger, _hurry.Token);
        }
        catch (OperationCanceledException)
        {
        }
        _node.Logger.LogInformation("Pod {Pod}: stopped and deletion confirmed", _who);
    }

    /// <summary>Secrets do not outlive their pod on disk; the logs stay for whoever wants to read them.</summary>
    private void RemoveVolumes()
    {
        try
        {
            if (System.IO.Directory.Exists(_volumes.Root)) System.IO.Directory.Delete(_volumes.Root, recursive: true);
        }
        catch (IOException e)
        {
            _node.Logger.LogWarning("Pod {Pod}: could not remove its volumes: {Error}", _who, e.Message);
        }
    }

    private void ReleaseAddress()
    {
        IPAddress? ip;
        lock (_lock)
        {
            ip = _ip;
            _ip = null;
        }
        if (ip is not null) _node.Addresses.Release(ip);
    }

    /// <summary>Recomputes the status and snapshot from the containers' views and queues the status write.</summary>
    private void Publish()
    {
        V1PodStatus status;
        lock (_lock)
        {
            var views = _runs?.Select(r => r.View()).ToList() ?? _waiting;
            string phase;
            if (_stopped && _runs is not null)
                // A pod whose containers were all stopped by its deletion ends Succeeded or Failed, as the kubelet reports it.
                phase = views.All(v => (v.Terminated ?? v.LastTerminated)?.ExitCode == 0) ? PodStatusBuilder.Succeeded : PodStatusBuilder.Failed;
            else
                phase = _runs is null ? PodStatusBuilder.Pending : PodStatusBuilder.PhaseOf(views, _runs.All(r => r.IsTerminal));
            status = _status.Build(phase, _statusIP, views, _terminatingSince is not null, DateTimeOffset.UtcNow);
            Volatile.Write(ref _snapshot, BuildSnapshot(phase, views, status));
        }
        _writer.Offer(status);
    }

    private LocalPodSnapshot BuildSnapshot(string phase, IReadOnlyList<ContainerView> views, V1PodStatus? status = null) =>
        new(Namespace, Name, Uid, _ip?.ToString(), phase,
            status?.Conditions?.FirstOrDefault(c => c.Type == "Ready")?.Status == "True",
            views.Sum(v => v.RestartCount), views.Sum(v => v.Reloads), _terminatingSince, Directory,
            views.Select(v => new LocalContainerSnapshot(v.Name, v.Image, v.Kind, v.State, v.Reason, v.Pid, v.Ready, v.RestartCount,
                (v.Terminated ?? v.LastTerminated)?.ExitCode, v.LogFile)).ToList());

    private string LogFileOf(V1Container container) => Path.Combine(Directory, container.Name + ".log");
}
