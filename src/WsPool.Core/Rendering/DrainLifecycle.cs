using k8s.Models;
using WsPool.Core.Api;

namespace WsPool.Core.Rendering;

/// <summary>
/// How a backend pod is given time to drain: a preStop pause so endpoints and balancers stop sending new clients
/// before SIGTERM, then the drain window in which the backend closes its connections, then a margin.
/// </summary>
public static class DrainLifecycle
{
    /// <summary>Seconds added after preStopDelay + drain.timeout, for the last closes and process exit.</summary>
    public const long MarginSeconds = 10;

    /// <summary>The preStop pause in whole seconds (rounded up).</summary>
    public static long PreStopSeconds(DrainSpec? drain) =>
        CeilingSeconds(drain?.PreStopDelay, TimeSpan.FromSeconds(5));

    /// <summary>The drain window in whole seconds (rounded up).</summary>
    public static long DrainSeconds(DrainSpec? drain) =>
        CeilingSeconds(drain?.Timeout, TimeSpan.FromSeconds(60));

    /// <summary>The termination grace period the drain needs: preStopDelay + timeout + margin.</summary>
    public static long RequiredGraceSeconds(DrainSpec? drain) =>
        PreStopSeconds(drain) + DrainSeconds(drain) + MarginSeconds;

    /// <summary>
    /// Sets the grace period to what the drain needs, keeping a larger value the user chose (a backend may need
    /// longer to flush state after its connections are gone).
    /// </summary>
    internal static void ApplyGracePeriod(V1PodSpec pod, DrainSpec? drain) =>
        pod.TerminationGracePeriodSeconds = Math.Max(pod.TerminationGracePeriodSeconds ?? 0, RequiredGraceSeconds(drain));

    /// <summary>
    /// Gives the container a preStop hook that sleeps preStopDelay. It uses the kubelet's native sleep action
    /// (Kubernetes 1.30+), so backend images need no shell or sleep binary. A preStop hook the user wrote is kept:
    /// it may already wait, or do more than wait. A zero delay renders no hook.
    /// </summary>
    internal static void ApplyPreStop(V1Container container, DrainSpec? drain)
    {
        var seconds = PreStopSeconds(drain);
        if (seconds <= 0 || container.Lifecycle?.PreStop is not null)
            return;
        container.Lifecycle ??= new V1Lifecycle();
        container.Lifecycle.PreStop = new V1LifecycleHandler { Sleep = new V1SleepAction { Seconds = seconds } };
    }

    /// <summary>
    /// Whole seconds, rounded up: Kubernetes counts grace periods and sleeps in seconds, and rounding down could cut
    /// a drain window short. The validator has rejected malformed durations already; should one get here anyway,
    /// the API default is used rather than throwing.
    /// </summary>
    internal static long CeilingSeconds(string? duration, TimeSpan fallback)
    {
        var value = DurationParser.TryParse(duration, out var parsed) ? parsed : fallback;
        return (long)Math.Ceiling(value.TotalSeconds);
    }
}
