using k8s.Models;

namespace WsPool.Local.Node;

/// <summary>
/// One probe of one container run, on the kubelet's schedule: nothing before <c>initialDelaySeconds</c>, then one
/// check every <c>periodSeconds</c> (10) with <c>timeoutSeconds</c> (1); the result flips to success after
/// <c>successThreshold</c> (1) successes in a row and to failure after <c>failureThreshold</c> (3) failures in a row.
/// A readiness probe starts as failed (not ready until the first success), a liveness probe as succeeded. gRPC probes
/// are not supported here and count as success (logged once).
/// </summary>
internal sealed class ProbeRunner(V1Probe probe, bool startsHealthy, HandlerActions actions, Action<bool, string> changed, Action<string> warn)
{
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var period = TimeSpan.FromSeconds(Math.Max(1, probe.PeriodSeconds ?? 10));
        var timeout = TimeSpan.FromSeconds(Math.Max(1, probe.TimeoutSeconds ?? 1));
        var successThreshold = Math.Max(1, probe.SuccessThreshold ?? 1);
        var failureThreshold = Math.Max(1, probe.FailureThreshold ?? 3);
        var healthy = startsHealthy;
        int successes = 0, failures = 0;
        if (probe.Grpc is not null) warn("gRPC probes are not supported by the local node; counted as success");

        await Task.Delay(TimeSpan.FromSeconds(Math.Max(0, probe.InitialDelaySeconds ?? 0)), cancellationToken);
        while (!cancellationToken.IsCancellationRequested)
        {
            var result = await CheckAsync(timeout, cancellationToken);
            if (result.Success)
            {
                failures = 0;
                if (++successes >= successThreshold && !healthy)
                {
                    healthy = true;
                    changed(true, result.Message);
                }
            }
            else
            {
                successes = 0;
                if (++failures >= failureThreshold && healthy)
                {
                    healthy = false;
                    changed(false, result.Message);
                }
            }
            await Task.Delay(period, cancellationToken);
        }
    }

    private Task<ActionResult> CheckAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (probe.HttpGet is { } http) return actions.HttpGetAsync(http, timeout, cancellationToken);
        if (probe.TcpSocket is { } tcp) return actions.TcpAsync(tcp, timeout, cancellationToken);
        if (probe.Exec is { } exec) return actions.ExecAsync(exec, timeout, cancellationToken);
        return Task.FromResult(ActionResult.Ok());
    }
}
