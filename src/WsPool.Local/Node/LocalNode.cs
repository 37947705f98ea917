using System.Collections.Concurrent;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using WsPool.Operator.Runtime;

namespace WsPool.Local.Node;

/// <summary>
/// The kubelet's part of `wspool local`: runs every Pod bound to <see cref="LocalNodeOptions.NodeName"/> (in all
/// namespaces) as processes on this machine, each pod on its own loopback address, and reports them through the
/// Kubernetes API only (status subresource, events, the deletion confirmation), so it works against any
/// Kubernetes-compatible API: the embedded emulator, whether it deletes pods at once or waits for the node's
/// confirmation as the API server does.
/// <list type="bullet">
/// <item>Watches: pods (field selector <c>spec.nodeName</c>), and ConfigMaps and Secrets, whose changes update the
/// pods' files (see <see cref="LocalPod"/>).</item>
/// <item>Images → commands: <see cref="ImageCommands"/>; addresses: <see cref="PodAddresses"/>; termination:
/// <see cref="PodTermination"/>.</item>
/// <item>The managed NGINX's reloader sidecar is not run: the node reloads NGINX (SIGHUP) and HAProxy (SIGUSR2)
/// itself when their mounted config changes.</item>
/// <item><see cref="DisposeAsync"/> stops every process the node started (SIGTERM, <see cref="LocalNodeOptions.ShutdownGrace"/>,
/// SIGKILL to each container's process group); if the host exits without disposing, a process-exit hook kills them.
/// A host should turn Ctrl-C into cancellation and dispose (the generic host does): the pods' processes run in their
/// own sessions and do not get the terminal's SIGINT.</item>
/// </list>
/// Not supported (documented, not silently wrong): init containers and startup probes (containers start at once),
/// resource limits, security contexts (processes run as the current user), the pods' own DNS configuration (they
/// resolve through the machine's resolver), Service environment variables.
/// </summary>
public sealed class LocalNode : IAsyncDisposable
{
    private readonly IKubernetes _client;
    private readonly LocalNodeOptions _options;
    private readonly ILogger _logger;
    private readonly NodeContext _context;
    private readonly ConcurrentDictionary<string, LocalPod> _pods = new(StringComparer.Ordinal);
    // Pods this node finished (stopped and confirmed) that the API may still show for a moment: never run them again.
    private readonly ConcurrentDictionary<string, byte> _finished = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _disposed = new();
    private readonly EventHandler _onProcessExit;
    private int _disposing;

    /// <param name="client">A client of the Kubernetes API the pods live in.</param>
    /// <param name="options">How to run pods.</param>
    /// <param name="logger">Where the node says what it does with each pod.</param>
    /// <exception cref="ArgumentException">An entry of <see cref="LocalNodeOptions.Run"/> is not <c>IMAGE=COMMAND</c>.</exception>
    public LocalNode(IKubernetes client, LocalNodeOptions options, ILogger logger)
    {
        _client = client;
        _options = options;
        _logger = logger;
        Addresses = new PodAddresses();
        _context = new NodeContext(client, options, Addresses, new ImageCommands(options), new PodEvents(client, options.NodeName, logger), logger);
        Directory.CreateDirectory(options.StateDirectory);
        _onProcessExit = (_, _) => KillEverything();
        AppDomain.CurrentDomain.ProcessExit += _onProcessExit;
    }

    public LocalNodeOptions Options => _options;

    /// <summary>The loopback addresses the node has handed to pods.</summary>
    public PodAddresses Addresses { get; }

    /// <summary>Every pod the node runs or still terminates, by namespace and name (thread-safe, a fresh list per read).</summary>
    public IReadOnlyList<LocalPodSnapshot> Pods =>
        _pods.Values.Select(p => p.Snapshot).OrderBy(p => p.Namespace, StringComparer.Ordinal).ThenBy(p => p.Name, StringComparer.Ordinal).ToList();

    /// <summary>One pod by name, or null when the node does not (or no longer) run it.</summary>
    public LocalPodSnapshot? Pod(string @namespace, string name) =>
        _pods.Values.Select(p => p.Snapshot).FirstOrDefault(p => p.Namespace == @namespace && p.Name == name);

    /// <summary>
    /// Watches and runs pods until <paramref name="cancellationToken"/> is cancelled or the node is disposed. The pods
    /// keep running after it returns: <see cref="DisposeAsync"/> stops them.
    /// </summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _disposed.Token);
        var token = linked.Token;
        var informerOptions = new InformerOptions();
        var fieldSelector = $"spec.nodeName={_options.NodeName}";
        var pods = new Informer<V1Pod>(
            new KubeListWatch<V1Pod, V1PodList>($"pods on node {_options.NodeName}", null,
                q => _client.CoreV1.ListPodForAllNamespacesWithHttpMessagesAsync(allowWatchBookmarks: q.AllowWatchBookmarks,
                    fieldSelector: fieldSelector, resourceVersion: q.ResourceVersion, limit: q.Limit, continueParameter: q.Continue,
                    timeoutSeconds: q.TimeoutSeconds, watch: q.WatchFlag, cancellationToken: q.CancellationToken),
                l => new ListResult<V1Pod>(l.Items.ToList(), l.Metadata?.ResourceVersion ?? "", l.Metadata?.ContinueProperty)),
            new Store<V1Pod>(indexKey: _ => null), informerOptions, TimeProvider.System, _logger);
        pods.AddHandler(OnPod);

        var configMaps = new Informer<V1ConfigMap>(
            new KubeListWatch<V1ConfigMap, V1ConfigMapList>("configmaps in all namespaces", null,
                q => _client.CoreV1.ListConfigMapForAllNamespacesWithHttpMessagesAsync(allowWatchBookmarks: q.AllowWatchBookmarks,
                    resourceVersion: q.ResourceVersion, limit: q.Limit, continueParameter: q.Continue,
                    timeoutSeconds: q.TimeoutSeconds, watch: q.WatchFlag, cancellationToken: q.CancellationToken),
                l => new ListResult<V1ConfigMap>(l.Items.ToList(), l.Metadata?.ResourceVersion ?? "", l.Metadata?.ContinueProperty)),
            new Store<V1ConfigMap>(indexKey: _ => null), informerOptions, TimeProvider.System, _logger);
        configMaps.AddHandler((_, obj, _) => OnSource("configmap", obj.Metadata));

        var secrets = new Informer<V1Secret>(
            new KubeListWatch<V1Secret, V1SecretList>("secrets in all namespaces", null,
                q => _client.CoreV1.ListSecretForAllNamespacesWithHttpMessagesAsync(allowWatchBookmarks: q.AllowWatchBookmarks,
                    resourceVersion: q.ResourceVersion, limit: q.Limit, continueParameter: q.Continue,
                    timeoutSeconds: q.TimeoutSeconds, watch: q.WatchFlag, cancellationToken: q.CancellationToken),
                l => new ListResult<V1Secret>(l.Items.ToList(), l.Metadata?.ResourceVersion ?? "", l.Metadata?.ContinueProperty)),
            // Only change notifications are needed, not the values: keep no Secret data in memory.
            new Store<V1Secret>(indexKey: _ => null, admit: s => new V1Secret { Metadata = new V1ObjectMeta
            {
                Name = s.Metadata.Name, NamespaceProperty = s.Metadata.NamespaceProperty, ResourceVersion = s.Metadata.ResourceVersion,
            } }),
            informerOptions, TimeProvider.System, _logger);
        secrets.AddHandler((_, obj, _) => OnSource("secret", obj.Metadata));

        _logger.LogInformation("Local node {Node} runs pods from {State}", _options.NodeName, _options.StateDirectory);
        await Task.WhenAll(pods.RunAsync(token), configMaps.RunAsync(token), secrets.RunAsync(token));
    }

    private void OnPod(StoreChange change, V1Pod pod, V1Pod? previous)
    {
        if (Volatile.Read(ref _disposing) != 0) return;
        var uid = pod.Metadata.Uid ?? "";
        if (change == StoreChange.Deleted)
        {
            if (_pods.TryGetValue(uid, out var leaving)) leaving.Gone(pod);
            _finished.TryRemove(uid, out _);
            return;
        }
        // The same name with another uid: the old pod was deleted and replaced between two events.
        if (previous?.Metadata.Uid is { } previousUid && previousUid != uid && _pods.TryGetValue(previousUid, out var replaced))
            replaced.Gone(previous);
        if (_finished.ContainsKey(uid)) return;
        if (_pods.TryGetValue(uid, out var known))
        {
            known.Update(pod);
            return;
        }
        if (pod.Metadata.DeletionTimestamp is not null)
        {
            // Deleted before it ever ran here: nothing to stop, only the deletion to confirm.
            _finished[uid] = 0;
            _ = PodTermination.ConfirmDeletedAsync(_client, pod.Metadata.NamespaceProperty ?? "default", pod.Metadata.Name, uid, _logger, _disposed.Token);
            return;
        }
        var local = new LocalPod(pod, _context);
        _pods[uid] = local;
        _logger.LogInformation("Pod {Namespace}/{Name} assigned to this node", local.Namespace, local.Name);
        local.Start();
        _ = local.Completion.ContinueWith(ended =>
        {
            if (Volatile.Read(ref _disposing) != 0) return;
            _finished[uid] = 0;
            _pods.TryRemove(uid, out _);
        }, TaskScheduler.Default);
    }

    private void OnSource(string kind, V1ObjectMeta meta)
    {
        foreach (var pod in _pods.Values)
            if (pod.Namespace == meta.NamespaceProperty) pod.SourceChanged(kind, meta.Name);
    }

    /// <summary>The last resort when the host exits without disposing: SIGKILL to every container's process group.</summary>
    private void KillEverything()
    {
        foreach (var pod in _pods.Values) pod.KillNow();
    }

    /// <summary>Stops watching and stops every pod's processes (SIGTERM, the shutdown grace, SIGKILL); writes nothing to the API.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposing, 1) != 0) return;
        await _disposed.CancelAsync();
        await Task.WhenAll(_pods.Values.Select(p => p.ShutdownAsync()));
        _pods.Clear();
        AppDomain.CurrentDomain.ProcessExit -= _onProcessExit;
        _disposed.Dispose();
    }
}
