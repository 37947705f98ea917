namespace WsPool.Operator.Scaling;

/// <summary>How connection counts are read and shed requests are sent. Bound from configuration section "Scaling".</summary>
public sealed class ScraperOptions
{
    /// <summary>Per-request timeout: a dead or slow pod yields a missing sample after this, never a stalled poll.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Requests in flight at once per poll, so a 500-pod pool does not open 500 sockets at once.</summary>
    public int MaxInFlight { get; set; } = 32;

    /// <summary>The backend's admin port for POST /shed (the chat server's WSPOOL_ADMIN_PORT, default 9091).</summary>
    public int AdminPort { get; set; } = 9091;

    /// <summary>The managed HAProxy's observability port (BalancerPorts.Observability).</summary>
    public int BalancerStatsPort { get; set; } = 8404;

    /// <summary>
    /// The stats CSV path on that port. <c>norefresh</c> keeps HAProxy from adding a refresh header; the frontend needs
    /// <c>stats show-legends</c> so the CSV carries each server slot's address.
    /// </summary>
    public string BalancerStatsPath { get; set; } = "/stats;csv;norefresh";

    /// <summary>The HAProxy backend that holds the pool's server-template slots (HAProxyConfigBuilder.BackendName).</summary>
    public string BalancerBackend { get; set; } = "pool";
}
