using System.Diagnostics;
using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace WsPool.Local.Node;

/// <summary>
/// The drain contract, as the kubelet keeps it when a pod is deleted: readiness turns false at once (a terminating
/// pod is not ready), each container's preStop hook runs, then SIGTERM, then the rest of the grace period for the
/// process to exit (the chat server drains its WebSockets with 1001 in it), then SIGKILL to everything left. The
/// grace period counts from the start, preStop included; after a preStop that used it all, a container still gets
/// <see cref="MinimumGrace"/> after SIGTERM, as the kubelet gives. Only then is the address released and the
/// deletion confirmed (DELETE with gracePeriodSeconds=0 and the pod's uid), which is what lets the API remove a
/// gracefully deleted pod.
/// </summary>
internal static class PodTermination
{
    /// <summary>The kubelet's minimum time between SIGTERM and SIGKILL.</summary>
    public static readonly TimeSpan MinimumGrace = TimeSpan.FromSeconds(2);

    public const long DefaultGraceSeconds = 30;

    /// <summary>
    /// The grace period: the deletion's own (<c>deletionGracePeriodSeconds</c>) when the pod is being deleted, else the
    /// pod's <c>terminationGracePeriodSeconds</c> (default 30); never below <see cref="MinimumGrace"/>.
    /// </summary>
    public static TimeSpan GraceOf(V1Pod pod)
    {
        var seconds = pod.Metadata.DeletionTimestamp is not null && pod.Metadata.DeletionGracePeriodSeconds is { } deletion
            ? deletion
            : pod.Spec?.TerminationGracePeriodSeconds ?? DefaultGraceSeconds;
        var grace = TimeSpan.FromSeconds(Math.Max(0, seconds));
        return grace < MinimumGrace ? MinimumGrace : grace;
    }

    /// <summary>Stops every container within <paramref name="grace"/>; returns when no process of the pod is left.</summary>
    /// <param name="runs">The pod's containers.</param>
    /// <param name="grace">The grace period.</param>
    /// <param name="hurry">Cancelled when the node shuts down: hooks are cut short and only <paramref name="hurryGrace"/> is left.</param>
    /// <param name="hurryGrace">What a container gets after SIGTERM once the node hurries.</param>
    public static async Task StopContainersAsync(IReadOnlyList<ContainerRun> runs, TimeSpan grace, CancellationToken hurry, TimeSpan hurryGrace)
    {
        var clock = Stopwatch.StartNew();
        var alive = runs.Select(run => run.BeginStopping()).ToList();
        await Task.WhenAll(runs.Select(async (run, i) =>
        {
            if (alive[i] && !hurry.IsCancellationRequested) await run.PreStopAsync(grace - clock.Elapsed, hurry);
            var left = grace - clock.Elapsed;
            if (left < MinimumGrace) left = MinimumGrace;
            if (hurry.IsCancellationRequested && left > hurryGrace) left = hurryGrace;
            await run.StopProcessAsync(left, hurry, hurryGrace);
        }));
    }

    /// <summary>
    /// Tells the API the pod's processes are gone: DELETE with gracePeriodSeconds=0, for this uid only (a pod
    /// recreated under the same name is not touched). A pod already gone (404) or replaced (409) needs nothing more.
    /// </summary>
    public static async Task ConfirmDeletedAsync(IKubernetes client, string @namespace, string name, string uid, ILogger logger,
        CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await client.CoreV1.DeleteNamespacedPodAsync(name, @namespace,
                    new V1DeleteOptions { GracePeriodSeconds = 0, Preconditions = new V1Preconditions { Uid = uid } },
                    gracePeriodSeconds: 0, cancellationToken: cancellationToken);
                return;
            }
            catch (HttpOperationException e) when (e.Response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Conflict)
            {
                return;
            }
            catch (Exception e) when (e is HttpOperationException or HttpRequestException && attempt < 6)
            {
                logger.LogInformation("Confirming the deletion of pod {Namespace}/{Name} failed ({Error}); retrying", @namespace, name, e.Message);
                await Task.Delay(TimeSpan.FromMilliseconds(200 << attempt), cancellationToken);
            }
        }
    }
}
