using Prometheus;
using WsPool.Operator.Reconciling;
using WsPool.Operator.Runtime;

namespace WsPool.Operator.Hosting;

/// <summary>
/// Every Prometheus metric the operator exposes on /metrics, in one registry per host (so two hosts in one process —
/// the leader-election tests — keep separate figures).
/// </summary>
public sealed class OperatorMetrics : IControllerMetrics, IInformerMetrics, IPoolMetrics
{
    private readonly Counter _reconciles;
    private readonly Counter _reconcileErrors;
    private readonly Histogram _reconcileDuration;
    private readonly Gauge _queueDepth;
    private readonly Histogram _queueWait;
    private readonly Counter _watchRestarts;
    private readonly Counter _apiRequests;
    private readonly Counter _apiErrors;
    private readonly Gauge _leader;
    private readonly Gauge _poolDesired;
    private readonly Gauge _poolReady;
    private readonly Gauge _poolConnections;

    public OperatorMetrics()
    {
        Registry = Metrics.NewCustomRegistry();
        var factory = Metrics.WithCustomRegistry(Registry);
        _reconciles = factory.CreateCounter("wspool_reconcile_total", "Reconciles run, by controller and result.",
            "controller", "result");
        _reconcileErrors = factory.CreateCounter("wspool_reconcile_errors_total", "Reconciles that failed and were retried.",
            "controller");
        _reconcileDuration = factory.CreateHistogram("wspool_reconcile_duration_seconds", "How long one reconcile took.",
            new HistogramConfiguration
            {
                LabelNames = ["controller"],
                Buckets = Histogram.ExponentialBuckets(0.001, 2, 16),
            });
        _queueDepth = factory.CreateGauge("wspool_workqueue_depth", "Keys waiting in the work queue.", "queue");
        _queueWait = factory.CreateHistogram("wspool_workqueue_wait_seconds",
            "How long a key waited in the queue before a worker took it.",
            new HistogramConfiguration { LabelNames = ["queue"], Buckets = Histogram.ExponentialBuckets(0.001, 2, 20) });
        _watchRestarts = factory.CreateCounter("wspool_watch_restarts_total",
            "Watches that ended and were reopened, by resource and reason (Closed, Expired, Error, Stalled).",
            "resource", "reason");
        _apiRequests = factory.CreateCounter("wspool_api_requests_total", "Requests to the Kubernetes API, by verb and code.",
            "verb", "code");
        _apiErrors = factory.CreateCounter("wspool_api_errors_total",
            "Failed requests to the Kubernetes API (HTTP status >= 400 or no response), by verb and code.", "verb", "code");
        _leader = factory.CreateGauge("wspool_leader", "1 while this instance holds the leader lease.");
        _poolDesired = factory.CreateGauge("wspool_pool_desired_replicas",
            "Backend pods the operator wants for the pool (status.desiredReplicas): spec.replicas, or the autoscaler's decision.",
            "namespace", "pool");
        _poolReady = factory.CreateGauge("wspool_pool_ready_replicas",
            "Ready backend pods of the pool (status.readyReplicas).", "namespace", "pool");
        _poolConnections = factory.CreateGauge("wspool_pool_connections",
            "Live WebSocket connections over the pool's pods, as the autoscaler last read them; absent while unknown.",
            "namespace", "pool");
    }

    public CollectorRegistry Registry { get; }

    public void Reconciled(string controller, TimeSpan duration, bool failed)
    {
        _reconciles.WithLabels(controller, failed ? "error" : "success").Inc();
        if (failed) _reconcileErrors.WithLabels(controller).Inc();
        _reconcileDuration.WithLabels(controller).Observe(duration.TotalSeconds);
    }

    public void WatchRestarted(string resource, WatchRestartReason reason) =>
        _watchRestarts.WithLabels(resource, reason.ToString()).Inc();

    public void ApiRequest(string verb, string code, bool failed)
    {
        _apiRequests.WithLabels(verb, code).Inc();
        if (failed) _apiErrors.WithLabels(verb, code).Inc();
    }

    public void Leading(bool leading) => _leader.Set(leading ? 1 : 0);

    public void Observed(string ns, string pool, int desiredReplicas, int readyReplicas, long? connections)
    {
        _poolDesired.WithLabels(ns, pool).Set(desiredReplicas);
        _poolReady.WithLabels(ns, pool).Set(readyReplicas);
        if (connections is { } total) _poolConnections.WithLabels(ns, pool).Set(total);
        else _poolConnections.RemoveLabelled(ns, pool);
    }

    public void Forget(string ns, string pool)
    {
        _poolDesired.RemoveLabelled(ns, pool);
        _poolReady.RemoveLabelled(ns, pool);
        _poolConnections.RemoveLabelled(ns, pool);
    }

    public IWorkQueueMetrics ForQueue(string name) => new QueueMetrics(_queueDepth.WithLabels(name), _queueWait.WithLabels(name));

    private sealed class QueueMetrics(Gauge.Child depth, Histogram.Child wait) : IWorkQueueMetrics
    {
        public void Depth(int value) => depth.Set(value);
        public void Waited(TimeSpan value) => wait.Observe(value.TotalSeconds);
    }
}
