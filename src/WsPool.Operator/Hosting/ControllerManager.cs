using k8s;
using k8s.Models;
using WsPool.Core.Api;
using WsPool.Core.Balancers;
using WsPool.Core.Rendering;
using WsPool.Operator.Kubernetes;
using WsPool.Operator.Reconciling;
using WsPool.Operator.Runtime;

namespace WsPool.Operator.Hosting;

/// <summary>
/// Wires the WebSocketPool controller: informers for pools, owned kinds and the EndpointSlices of the pools' Services
/// in every watched namespace, their events into one work queue (an owned object's event enqueues its owner, a slice's
/// event its managed NGINX pool), the workers, and the periodic resync. Caches run
/// on every instance so a standby is ready to take over; workers run only on the leader.
/// </summary>
public sealed class ControllerManager
{
    public const string ControllerName = "websocketpool";

    private readonly OperatorOptions _options;
    private readonly PoolKind _pools;
    private readonly TimeProvider _clock;
    private readonly List<IInformer> _informers = [];
    private readonly Controller _controller;

    public ControllerManager(OperatorOptions options, IKubernetes client, PoolKind pools, OwnedKinds kinds,
        PoolEndpointSlices endpointSlices, WebSocketPoolReconciler reconciler, OperatorMetrics metrics, TimeProvider clock, ILoggerFactory loggers)
    {
        _options = options;
        _pools = pools;
        _clock = clock;
        Queue = new WorkQueue<ObjectKey>(
            new MaxOfRateLimiter<ObjectKey>(
                new ExponentialFailureRateLimiter<ObjectKey>(TimeSpan.FromMilliseconds(5), TimeSpan.FromSeconds(1000)),
                new TokenBucketRateLimiter<ObjectKey>(options.RetryQps, options.RetryBurst, clock)),
            clock, metrics.ForQueue(ControllerName));
        _controller = new Controller(ControllerName, Queue, reconciler, options.Workers,
            loggers.CreateLogger<Controller>(), metrics);

        var informerOptions = new InformerOptions
        {
            WatchTimeout = options.WatchTimeout,
            StallGrace = options.WatchStallGrace,
        };
        var selector = $"{PoolLabels.ManagedBy}={PoolLabels.ManagedByValue}";
        IReadOnlyList<string?> scopes = options.Namespaces.Count == 0 ? [null] : options.Namespaces.ToList<string?>();
        foreach (var scope in scopes)
        {
            var poolInformer = pools.CreateInformer(client, scope, informerOptions, clock, loggers, metrics);
            poolInformer.AddHandler(OnPoolChange);
            _informers.Add(new InformerAdapter<WebSocketPool>(poolInformer));
            foreach (var kind in kinds.All)
            {
                var informer = kind.CreateInformer(client, scope, selector, informerOptions, clock, loggers, metrics);
                informer.AddHandler(OnOwnedChange);
                _informers.Add(informer);
            }
            var slices = endpointSlices.CreateInformer(client, scope, selector, informerOptions, clock, loggers, metrics);
            slices.AddHandler(OnEndpointSliceChange);
            _informers.Add(slices);
        }
    }

    public WorkQueue<ObjectKey> Queue { get; }

    public IReadOnlyList<IInformer> Informers => _informers;

    public bool CachesSynced => _informers.All(i => i.HasSynced);

    public Task WaitForCacheSyncAsync(CancellationToken cancellationToken) =>
        Task.WhenAll(_informers.Select(i => i.Synced)).WaitAsync(cancellationToken);

    /// <summary>Runs every informer until cancelled.</summary>
    public Task RunCachesAsync(CancellationToken cancellationToken) =>
        Task.WhenAll(_informers.Select(i => Task.Run(() => i.RunAsync(cancellationToken), CancellationToken.None)));

    /// <summary>Runs the workers and the resync until cancelled (the caller holds the lease).</summary>
    public async Task RunControllersAsync(CancellationToken cancellationToken)
    {
        try
        {
            await WaitForCacheSyncAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return;
        }
        foreach (var key in _pools.Store.Keys()) Queue.Add(key);
        await Task.WhenAll(_controller.RunAsync(cancellationToken), ResyncAsync(cancellationToken)).ConfigureAwait(false);
    }

    private async Task ResyncAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_options.ResyncPeriod, _clock);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
                foreach (var key in _pools.Store.Keys()) Queue.Add(key);
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>
    /// Pool events: additions, deletions and spec changes (a new generation) or metadata that matters. Status-only
    /// updates — most of them the operator's own writes — are skipped; the resync covers anything else.
    /// </summary>
    private void OnPoolChange(StoreChange change, WebSocketPool pool, WebSocketPool? previous)
    {
        if (change == StoreChange.Updated && previous is not null
            && previous.Metadata.Generation == pool.Metadata.Generation
            && previous.Metadata.Uid == pool.Metadata.Uid
            && (previous.Metadata.DeletionTimestamp is null) == (pool.Metadata.DeletionTimestamp is null))
            return;
        Queue.Add(ObjectKey.Of(pool));
    }

    /// <summary>
    /// A slice of a pool's Service changed (a pod became ready or not ready, or went away): only a managed NGINX
    /// renders endpoints into its config, so only such a pool is reconciled; HAProxy pools scale without a reconcile.
    /// </summary>
    private void OnEndpointSliceChange(StoreChange change, IKubernetesObject<V1ObjectMeta> slice)
    {
        if (PoolEndpointSlices.PoolOf(slice) is not { } key) return;
        if (_pools.Store.Get(key)?.Spec.Balancer is { } balancer && BalancerKinds.For(balancer).FollowsReadyEndpoints) Queue.Add(key);
    }

    private void OnOwnedChange(StoreChange change, IKubernetesObject<V1ObjectMeta> obj)
    {
        var owner = obj.Metadata.OwnerReferences?.FirstOrDefault(o =>
            o.Controller == true && o.Kind == WebSocketPool.KindName
            && o.ApiVersion?.StartsWith(WebSocketPool.Group + "/", StringComparison.Ordinal) == true);
        if (owner is not null) Queue.Add(new ObjectKey(obj.Metadata.NamespaceProperty ?? "", owner.Name));
    }
}
