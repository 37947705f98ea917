using k8s;
using k8s.LeaderElection;
using k8s.LeaderElection.ResourceLock;

namespace WsPool.Operator.Hosting;

/// <summary>
/// The operator's main loop: caches always run (readiness = caches synced); controllers run only while this instance
/// holds the Lease. Losing the lease stops the workers at once and ends the process, as controller-runtime does —
/// a restarted pod starts from a clean state instead of racing the new leader.
/// </summary>
public sealed class OperatorService(
    OperatorOptions options,
    IKubernetes client,
    ControllerManager manager,
    OperatorMetrics metrics,
    IHostApplicationLifetime lifetime,
    ILogger<OperatorService> logger) : BackgroundService
{
    private volatile bool _leading;

    public bool IsLeader => _leading;

    /// <summary>Set when this instance held the lease and lost it (the process is exiting).</summary>
    public bool LostLeadership { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var caches = manager.RunCachesAsync(stoppingToken);
        try
        {
            if (options.LeaderElection) await LeadAsync(stoppingToken).ConfigureAwait(false);
            else
            {
                _leading = true;
                await manager.RunControllersAsync(stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            _leading = false;
            await caches.ConfigureAwait(false);
        }
    }

    private async Task LeadAsync(CancellationToken stoppingToken)
    {
        var leaseLock = new LeaseLock(client, options.LeaseNamespace, options.LeaseName, options.Identity);
        using var elector = new LeaderElector(new LeaderElectionConfig(leaseLock)
        {
            LeaseDuration = options.LeaseDuration,
            RenewDeadline = options.RenewDeadline,
            RetryPeriod = options.RetryPeriod,
        });
        using var controllersStop = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        Task? controllers = null;
        elector.OnStartedLeading += () =>
        {
            _leading = true;
            metrics.Leading(true);
            logger.LogInformation("Acquired the lease {Namespace}/{Lease} as {Identity}; starting controllers",
                options.LeaseNamespace, options.LeaseName, options.Identity);
            controllers = Task.Run(() => manager.RunControllersAsync(controllersStop.Token), CancellationToken.None);
        };
        elector.OnStoppedLeading += () =>
        {
            // Stop reconciling before anything else: another instance may already hold the lease.
            _leading = false;
            metrics.Leading(false);
            controllersStop.Cancel();
        };
        elector.OnNewLeader += leader => logger.LogInformation("The leader is now {Leader}", leader);
        elector.OnError += e => logger.LogDebug("Leader election: {Error}", e.Message);

        try
        {
            await elector.RunUntilLeadershipLostAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        controllersStop.Cancel();
        if (controllers is not null)
        {
            try
            {
                await controllers.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }

        if (stoppingToken.IsCancellationRequested)
        {
            if (controllers is not null) await ReleaseAsync().ConfigureAwait(false);
            return;
        }
        LostLeadership = true;
        logger.LogError("Lost the lease {Namespace}/{Lease}; exiting so the pod restarts", options.LeaseNamespace,
            options.LeaseName);
        if (options.ExitOnLeadershipLoss) Environment.Exit(1);
        lifetime.StopApplication();
    }

    /// <summary>
    /// On a graceful stop, shorten our lease to one second so a standby takes over at once instead of waiting out
    /// the full lease duration (controller-runtime's LeaderElectionReleaseOnCancel).
    /// </summary>
    private async Task ReleaseAsync()
    {
        try
        {
            using var timeout = new CancellationTokenSource(options.RetryPeriod);
            var lease = await client.CoordinationV1.ReadNamespacedLeaseAsync(options.LeaseName, options.LeaseNamespace,
                cancellationToken: timeout.Token).ConfigureAwait(false);
            if (lease.Spec?.HolderIdentity != options.Identity) return;
            lease.Spec.LeaseDurationSeconds = 1;
            lease.Spec.RenewTime = DateTime.UtcNow;
            await client.CoordinationV1.ReplaceNamespacedLeaseAsync(lease, options.LeaseName, options.LeaseNamespace,
                cancellationToken: timeout.Token).ConfigureAwait(false);
            logger.LogInformation("Released the lease {Namespace}/{Lease}", options.LeaseNamespace, options.LeaseName);
        }
        catch (Exception e)
        {
            logger.LogInformation("Could not release the lease ({Error}); it expires on its own", e.Message);
        }
    }
}
