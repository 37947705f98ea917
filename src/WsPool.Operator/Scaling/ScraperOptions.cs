using WsPool.Core.Balancers;

namespace WsPool.Operator.Scaling;

/// <summary>
/// How connection counts are read and shed requests are sent, operator-wide: timeouts, concurrency and the managed
/// HAProxy's stats endpoint (which wspool renders itself, so it is the same for every pool). Set from the command line
/// or WSPOOL_* variables (OperatorOptions). The backend's admin port is per pool: spec.scaling.rebalance.adminPort.
/// </summary>
public sealed class ScraperOptions
{
    /// <summary>Per-request timeout: a dead or slow pod yields a missing sample after this, never a stalled poll.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Requests in flight at once per poll, so a 500-pod pool does not open 500 sockets at once.</summary>
    public int MaxInFlight { get; set; } = 32;

    /// <summary>
    /// How long a POST /shed may take: closing a batch of connections takes the backend longer than answering a
    /// scrape. A pod that does not answer in time keeps its connections; the rebalancer tries again later.
    /// </summary>
    public TimeSpan ShedTimeout { get; set; } = TimeSpan.FromSeconds(5);

    // The balancer's stats endpoint is not an operator option: wspool renders the managed HAProxy's config itself, so
    // these follow that config (a flag could only point the scraper where nothing listens). Tests that run an HAProxy
    // on a random port set them in code.

    /// <summary>The managed HAProxy's observability port (BalancerPorts.Observability).</summary>
    public int BalancerStatsPort { get; set; } = BalancerPorts.Observability;

    /// <summary>
    /// The stats CSV path on that port. <c>norefresh</c> keeps HAProxy from adding a refresh header; the frontend needs
    /// <c>stats show-legends</c> so the CSV carries each server slot's address.
    /// </summary>
    public string BalancerStatsPath { get; set; } = $"{HAProxyConfigBuilder.StatsUri};csv;norefresh";

    /// <summary>The HAProxy backend that holds the pool's server-template slots (HAProxyConfigBuilder.BackendName).</summary>
    public string BalancerBackend { get; set; } = HAProxyConfigBuilder.BackendName;
}
