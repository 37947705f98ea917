using System.Globalization;
using System.Text.RegularExpressions;

using WsPool.Core.Api;
using WsPool.Core.Validation;

namespace WsPool.Operator.Hosting;

/// <summary>
/// Everything an operator instance can be told. From the command line (<c>--workers 8</c>) or the environment
/// (<c>WSPOOL_WORKERS=8</c>); the command line wins. Durations take Kubernetes-style values such as 90s, 10m, 1h30m.
/// </summary>
public sealed record OperatorOptions
{
    /// <summary>Namespaces to watch; empty means all namespaces. (--namespaces a,b)</summary>
    public IReadOnlyList<string> Namespaces { get; init; } = [];

    /// <summary>
    /// How the autoscaler reads connection counts and sends shed requests: (--scaling-request-timeout,
    /// --scaling-max-in-flight, --shed-timeout). The backend's admin port is per pool (spec.scaling.rebalance.adminPort).
    /// </summary>
    public WsPool.Operator.Scaling.ScraperOptions Scaling { get; init; } = new();

    /// <summary>Reconciles that may run at once (on different pools). (--workers)</summary>
    public int Workers { get; init; } = 4;

    /// <summary>Every pool is reconciled again this often even when nothing changed. (--resync-period)</summary>
    public TimeSpan ResyncPeriod { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Address for the health and metrics listeners. (--bind-address)</summary>
    public string BindAddress { get; init; } = "0.0.0.0";

    /// <summary>/healthz and /readyz; 0 picks a free port. (--health-port)</summary>
    public int HealthPort { get; init; } = 8081;

    /// <summary>/metrics; 0 picks a free port. (--metrics-port)</summary>
    public int MetricsPort { get; init; } = 8080;

    /// <summary>Only the holder of the Lease runs controllers. (--leader-election true|false)</summary>
    public bool LeaderElection { get; init; } = true;

    public string LeaseName { get; init; } = "wspool-operator";

    /// <summary>The Lease's namespace: POD_NAMESPACE in a cluster (the downward API), else default.</summary>
    public string LeaseNamespace { get; init; } = Environment.GetEnvironmentVariable("POD_NAMESPACE") ?? "default";

    /// <summary>This instance's holder identity: the pod name plus a random suffix.</summary>
    public string Identity { get; init; } =
        $"{Environment.GetEnvironmentVariable("HOSTNAME") ?? Environment.MachineName}_{Guid.NewGuid().ToString("N")[..8]}";

    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(15);
    public TimeSpan RenewDeadline { get; init; } = TimeSpan.FromSeconds(10);
    public TimeSpan RetryPeriod { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// On losing the lease, exit the process with code 1 so Kubernetes restarts it (controller-runtime does the same).
    /// Tests that host operators in-process turn this off; the host then stops itself instead.
    /// </summary>
    public bool ExitOnLeadershipLoss { get; init; } = true;

    /// <summary>A kubeconfig file; unset: in-cluster config when in a pod, else the default kubeconfig. (--kubeconfig)</summary>
    public string? Kubeconfig { get; init; }

    /// <summary>The kubeconfig context to use. (--context)</summary>
    public string? Context { get; init; }

    /// <summary>The server ends each watch after this long; the informer resumes it. (--watch-timeout)</summary>
    public TimeSpan WatchTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Silence past the watch timeout plus this declares the stream stalled. (--watch-stall-grace)</summary>
    public TimeSpan WatchStallGrace { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The overall retry rate limit of the work queue (client-go: 10 per second, burst 100).</summary>
    public double RetryQps { get; init; } = 10;
    public int RetryBurst { get; init; } = 100;

    /// <summary>
    /// A pool whose balancer lacks a cluster prerequisite (a CRD, an IngressClass) looks again after this, doubling
    /// up to <see cref="PrerequisiteRetryMax"/>.
    /// </summary>
    public TimeSpan PrerequisiteRetryFirst { get; init; } = TimeSpan.FromSeconds(5);
    public TimeSpan PrerequisiteRetryMax { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The DNS server (host:port) a managed HAProxy asks for the backend pods, instead of its pod's resolv.conf.
    /// Unset in a cluster; `wspool local` points it at its own DNS. (--balancer-resolver)
    /// </summary>
    public string? BalancerResolver { get; init; }

    /// <summary>Reads options from configuration keys (command line or WSPOOL_* environment variables).</summary>
    public static OperatorOptions From(Microsoft.Extensions.Configuration.IConfiguration config)
    {
        var defaults = new OperatorOptions();
        string? Get(string key) => config[key] ?? config[key.Replace('-', '_')];
        return defaults with
        {
            Namespaces = Get("namespaces") is { } ns
                ? ns.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                : defaults.Namespaces,
            Workers = Int(Get("workers"), "workers", defaults.Workers, 1),
            ResyncPeriod = Duration(Get("resync-period"), "resync-period", defaults.ResyncPeriod),
            BindAddress = Get("bind-address") ?? defaults.BindAddress,
            HealthPort = Int(Get("health-port"), "health-port", defaults.HealthPort, 0),
            MetricsPort = Int(Get("metrics-port"), "metrics-port", defaults.MetricsPort, 0),
            LeaderElection = Bool(Get("leader-election"), "leader-election", defaults.LeaderElection),
            LeaseName = Get("lease-name") ?? defaults.LeaseName,
            LeaseNamespace = Get("lease-namespace") ?? defaults.LeaseNamespace,
            LeaseDuration = Duration(Get("lease-duration"), "lease-duration", defaults.LeaseDuration),
            RenewDeadline = Duration(Get("renew-deadline"), "renew-deadline", defaults.RenewDeadline),
            RetryPeriod = Duration(Get("retry-period"), "retry-period", defaults.RetryPeriod),
            Kubeconfig = Get("kubeconfig") ?? Environment.GetEnvironmentVariable("KUBECONFIG"),
            Context = Get("context"),
            WatchTimeout = Duration(Get("watch-timeout"), "watch-timeout", defaults.WatchTimeout),
            WatchStallGrace = Duration(Get("watch-stall-grace"), "watch-stall-grace", defaults.WatchStallGrace),
            BalancerResolver = Resolver(Get("balancer-resolver")),
            Scaling = new WsPool.Operator.Scaling.ScraperOptions
            {
                RequestTimeout = PositiveDuration(Get("scaling-request-timeout"), "scaling-request-timeout", defaults.Scaling.RequestTimeout),
                MaxInFlight = Int(Get("scaling-max-in-flight"), "scaling-max-in-flight", defaults.Scaling.MaxInFlight, 1),
                ShedTimeout = PositiveDuration(Get("shed-timeout"), "shed-timeout", defaults.Scaling.ShedTimeout),
            },
        };
    }

    /// <summary>What `wspool-operator --help` prints: every option, its environment variable and its default.</summary>
    public const string Help = """
        Usage: wspool-operator [--option value]...
        Every option can also be set as an environment variable (WSPOOL_ + the option in upper case, dashes as
        underscores); the command line wins. Durations: 500ms, 30s, 10m, 1h30m.

          --namespaces a,b               WSPOOL_NAMESPACES               namespaces to watch (default: all)
          --workers N                    WSPOOL_WORKERS                  reconciles at once, on different pools (4)
          --resync-period D              WSPOOL_RESYNC_PERIOD            reconcile every pool this often anyway (10m)
          --bind-address IP              WSPOOL_BIND_ADDRESS             address of the health and metrics listeners (0.0.0.0)
          --health-port N                WSPOOL_HEALTH_PORT              /healthz and /readyz; 0 picks a free port (8081)
          --metrics-port N               WSPOOL_METRICS_PORT             /metrics; 0 picks a free port (8080)
          --leader-election true|false   WSPOOL_LEADER_ELECTION          only the Lease holder runs controllers (true)
          --lease-name NAME              WSPOOL_LEASE_NAME               (wspool-operator)
          --lease-namespace NS           WSPOOL_LEASE_NAMESPACE          (POD_NAMESPACE, else default)
          --lease-duration D             WSPOOL_LEASE_DURATION           (15s)
          --renew-deadline D             WSPOOL_RENEW_DEADLINE           (10s)
          --retry-period D               WSPOOL_RETRY_PERIOD             (2s)
          --kubeconfig FILE              WSPOOL_KUBECONFIG or KUBECONFIG (in-cluster, else ~/.kube/config)
          --context NAME                 WSPOOL_CONTEXT                  kubeconfig context (current)
          --watch-timeout D              WSPOOL_WATCH_TIMEOUT            the server ends each watch after this (5m)
          --watch-stall-grace D          WSPOOL_WATCH_STALL_GRACE        silence past the watch timeout that counts as a stall (30s)
          --balancer-resolver HOST:PORT  WSPOOL_BALANCER_RESOLVER        DNS server a managed HAProxy resolves backend pods with (its resolv.conf)
          --scaling-request-timeout D    WSPOOL_SCALING_REQUEST_TIMEOUT  per scrape of a pod or balancer; a slower one is a missing sample (1s)
          --scaling-max-in-flight N      WSPOOL_SCALING_MAX_IN_FLIGHT    scrape and shed requests in flight at once per pool (32)
          --shed-timeout D               WSPOOL_SHED_TIMEOUT             per POST /shed to a backend's admin port (5s)

        The backend's admin port for shedding is set per pool: spec.scaling.rebalance.adminPort (default 9091).
        """;

    /// <summary>Parses 500ms, 30s, 10m, 1h30m: the durations of the pool spec, read by the same parser.</summary>
    public static TimeSpan ParseDuration(string value, string option) =>
        DurationParser.TryParse(value, out var duration)
            ? duration
            : throw new OptionsException($"--{option}: '{value}' is not a duration like 30s, 10m or 1h30m");

    private static string? Resolver(string? value) =>
        value is null ? null
        : HostPort.TryParse(value, out var canonical, out var error) ? canonical
        : throw new OptionsException($"--balancer-resolver: '{value}' {error}");

    private static TimeSpan Duration(string? value, string option, TimeSpan fallback) =>
        value is null ? fallback : ParseDuration(value, option);

    private static TimeSpan PositiveDuration(string? value, string option, TimeSpan fallback)
    {
        var duration = Duration(value, option, fallback);
        return duration > TimeSpan.Zero ? duration
            : throw new OptionsException($"--{option}: '{value}' must be longer than 0, like 500ms or 2s");
    }

    private static int Int(string? value, string option, int fallback, int min) =>
        value is null ? fallback
        : int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= min ? n
        : throw new OptionsException($"--{option}: '{value}' must be a whole number of at least {min}");

    private static bool Bool(string? value, string option, bool fallback) =>
        value is null ? fallback
        : bool.TryParse(value, out var b) ? b
        : throw new OptionsException($"--{option}: '{value}' must be true or false");
}

/// <summary>A bad option value: the message names the option and what it accepts.</summary>
public sealed class OptionsException(string message) : Exception(message);
