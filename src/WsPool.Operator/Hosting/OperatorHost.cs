using k8s;
using Prometheus;
using WsPool.Core.Rendering;
using WsPool.Operator.Kubernetes;
using WsPool.Operator.Reconciling;
using WsPool.Operator.Scaling;

namespace WsPool.Operator.Hosting;

/// <summary>
/// Builds the operator process: Kestrel for /healthz, /readyz and /metrics, JSON logs, the Kubernetes client, and
/// the controller. Tests build the same host with their own options and an emulator's client configuration.
/// </summary>
public static class OperatorHost
{
    public static WebApplication Build(string[] args, OperatorOptions options, KubernetesClientConfiguration kubeConfig,
        Action<ILoggingBuilder>? logging = null)
    {
        // Every informer holds a long-lived watch, and parts of the client's stream reading block a pool thread; start
        // with enough threads that the first sync does not wait for the pool to grow one thread at a time.
        ThreadPool.GetMinThreads(out var minWorkers, out var minIo);
        var informers = (options.Namespaces.Count == 0 ? 1 : options.Namespaces.Count) * 8;
        ThreadPool.SetMinThreads(Math.Max(minWorkers, informers + options.Workers + 8), minIo);

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = args });
        builder.Logging.ClearProviders();
        if (logging is null)
        {
            builder.Logging.AddJsonConsole(o =>
            {
                o.UseUtcTimestamp = true;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
            });
        }
        else logging(builder.Logging);
        builder.WebHost.ConfigureKestrel(k =>
        {
            var address = System.Net.IPAddress.Parse(options.BindAddress);
            k.Listen(address, options.HealthPort);
            if (options.MetricsPort != options.HealthPort || options.MetricsPort == 0) k.Listen(address, options.MetricsPort);
        });
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(15));

        var services = builder.Services;
        services.AddSingleton(options);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<OperatorMetrics>();
        services.AddSingleton<IPoolMetrics>(sp => sp.GetRequiredService<OperatorMetrics>());
        services.AddSingleton<IKubernetes>(sp => new k8s.Kubernetes(kubeConfig,
            new UserAgentHandler(UserAgentHandler.For(options.Identity)),
            new RetryHandler(),
            new ApiMetricsHandler(sp.GetRequiredService<OperatorMetrics>())));
        services.AddSingleton<PoolKind>();
        services.AddSingleton<OwnedKinds>();
        services.AddSingleton<PoolEndpointSlices>();
        services.AddSingleton<GeneratedSecrets>();
        services.AddSingleton(sp => new EventRecorder(sp.GetRequiredService<IKubernetes>(), options.Identity,
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<EventRecorder>>()));
        services.AddPoolScaling(options.Scaling);
        services.AddSingleton<ClusterPrerequisiteChecker>();
        services.AddSingleton(new PrerequisiteRetries(options.PrerequisiteRetryFirst, options.PrerequisiteRetryMax));
        services.AddSingleton<PoolAutoscaling>();
        services.AddSingleton<WsPool.Operator.Rollouts.PoolRollout>();
        services.AddSingleton<PoolApplier>();
        services.AddSingleton<PoolReporter>();
        services.AddSingleton(new RenderOptions { ResolverAddress = options.BalancerResolver });
        services.AddSingleton<WebSocketPoolReconciler>();
        services.AddSingleton<ControllerManager>();
        services.AddSingleton<OperatorService>();
        services.AddHostedService(sp => sp.GetRequiredService<OperatorService>());

        var app = builder.Build();
        var manager = app.Services.GetRequiredService<ControllerManager>();
        app.MapGet("/healthz", () => Results.Text("ok"));
        app.MapGet("/readyz", () => manager.CachesSynced
            ? Results.Text("ok")
            : Results.Text("caches not synced", statusCode: StatusCodes.Status503ServiceUnavailable));
        app.MapMetrics("/metrics", app.Services.GetRequiredService<OperatorMetrics>().Registry);
        return app;
    }

    /// <summary>The client configuration: an explicit kubeconfig, in-cluster when in a pod, else ~/.kube/config.</summary>
    public static KubernetesClientConfiguration KubeConfigFor(OperatorOptions options)
    {
        if (options.Kubeconfig is not null) return KubeconfigFile.Load(options.Kubeconfig, options.Context);
        if (KubernetesClientConfiguration.IsInCluster()) return KubernetesClientConfiguration.InClusterConfig();
        return KubeconfigFile.Load(null, options.Context);
    }
}
