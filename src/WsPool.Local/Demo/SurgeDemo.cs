using System.Diagnostics;
using WsPool.Load;
using WsPool.Local.Session;
using WsPool.Local.View;

namespace WsPool.Local.Demo;

/// <summary>What the demo measured, from its own clients and the API (never from the operator's own belief).</summary>
public sealed record SurgeResult(LocalSummary Summary, TimeSpan FirstEcho, LoadSummary Floor, LoadSummary Surge);

/// <summary>
/// Drives a running local session through a surge and a decline with real clients (wsload's engine) and measures what
/// they saw: connections open, refused connects, abrupt closes (no close frame), balancer reloads, pods over time, and
/// how long after the surge began the autoscaler first decided to scale up.
/// </summary>
public static class SurgeDemo
{
    public static async Task<SurgeResult> RunAsync(LocalSession session, SurgePlan plan, Action<LocalSnapshot>? show,
        Stopwatch sinceStart, CancellationToken cancellationToken)
    {
        var pool = session.Pools[0];
        var reader = new SnapshotReader(session, pool);
        var ready = await WaitAsync(reader, s => s.Pool.ReadyReplicas >= pool.Spec.MinReplicas && s.Pool.Url.Contains("://"),
            TimeSpan.FromMinutes(3), show, cancellationToken).ConfigureAwait(false);
        var url = new Uri(ready.Pool.Url);
        var insecure = url.Scheme == "wss";

        var echo = await LoadRunner.RunAsync(Options(url, insecure, 1, 0, TimeSpan.FromSeconds(1)) with { MessageRate = 10 },
            cancellationToken).ConfigureAwait(false);
        var firstEcho = sinceStart.Elapsed;
        if (echo.EchoLatency.Count == 0)
            throw new InvalidOperationException($"no echo came back through the balancer at {url}: {string.Join(", ", echo.Failed.Select(f => $"{f.Key} {f.Value}"))}");

        var surgeStarted = DateTimeOffset.UtcNow;
        var rampSeconds = Math.Max(1, plan.Ramp.TotalSeconds);
        await using var floor = LoadRunner.Start(Options(url, insecure, plan.Floor, plan.Floor / rampSeconds, null) with { Reconnect = true, SourceAddresses = plan.SourceAddresses });
        await using var surge = LoadRunner.Start(Options(url, insecure, plan.Peak - plan.Floor, (plan.Peak - plan.Floor) / rampSeconds, plan.Hold));
        var watch = new Watcher(reader, show);

        await watch.UntilAsync(() => surge.Completion.IsCompleted, plan.Ramp + plan.Hold + TimeSpan.FromMinutes(2), () => Open(floor, surge),
            cancellationToken).ConfigureAwait(false);
        var surgeSummary = await surge.Completion.ConfigureAwait(false);
        // The decline: the surge's clients have left; the floor stays while the pool scales back down.
        await watch.UntilAsync(() => watch.Last is { } s && s.Pool.DesiredReplicas <= pool.Spec.MinReplicas + 1 && s.Pods.All(p => !p.IsTerminating)
                && s.Pods.Count == s.Pool.DesiredReplicas,
            plan.Settle, () => Open(floor, surge), cancellationToken).ConfigureAwait(false);
        var floorSummary = await floor.StopAsync().ConfigureAwait(false);

        var firstScaleUp = watch.Last?.Decisions.Where(d => d.Reason == "ScaledUp" && d.Time >= surgeStarted.AddSeconds(-1)).Select(d => d.Time)
            .DefaultIfEmpty().Min();
        var summary = new LocalSummary
        {
            PeakConnections = watch.PeakOpen,
            MinPods = watch.MinPods,
            MaxPods = watch.MaxPods,
            Refused = floorSummary.FailedTotal + surgeSummary.FailedTotal,
            AbruptCloses = Abrupt(floorSummary) + Abrupt(surgeSummary),
            BalancerReloads = watch.Last?.BalancerReloads ?? 0,
            SurgeToDecision = firstScaleUp is { } t && t != default ? t - surgeStarted : null,
        };
        return new SurgeResult(summary, firstEcho, floorSummary, surgeSummary);
    }

    /// <summary>Closes without a close frame: the ones a drain must never cause (1001 and 1012 are the polite ones).</summary>
    public static int Abrupt(LoadSummary summary) => summary.ClosedEarly.GetValueOrDefault("abnormal");

    private static LoadOptions Options(Uri url, bool insecure, int connections, double rate, TimeSpan? hold) => new()
    {
        Url = url,
        Connections = connections,
        ConnectRate = rate,
        Hold = hold,
        Insecure = insecure,
        Cookies = CookieMode.PerConnection,
    };

    private static long Open(LoadRun floor, LoadRun surge) => floor.Snapshot().Open + surge.Snapshot().Open;

    private static async Task<LocalSnapshot> WaitAsync(SnapshotReader reader, Func<LocalSnapshot, bool> until, TimeSpan timeout,
        Action<LocalSnapshot>? show, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        LocalSnapshot? last = null;
        while (deadline.Elapsed < timeout)
        {
            last = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            show?.Invoke(last);
            if (until(last)) return last;
            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
        }
        throw new TimeoutException($"the pool did not become ready within {timeout.TotalSeconds:0}s; last seen: " +
            (last is null ? "nothing" : LiveView.Line(last)));
    }

    /// <summary>Samples the session every second while the load runs: pods and connections over time.</summary>
    private sealed class Watcher(SnapshotReader reader, Action<LocalSnapshot>? show)
    {
        public LocalSnapshot? Last { get; private set; }
        public long PeakOpen { get; private set; }
        public int MinPods { get; private set; } = int.MaxValue;
        public int MaxPods { get; private set; }

        public async Task UntilAsync(Func<bool> done, TimeSpan timeout, Func<long> open, CancellationToken cancellationToken)
        {
            var deadline = Stopwatch.StartNew();
            while (!done() && deadline.Elapsed < timeout)
            {
                try
                {
                    Last = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                    var pods = Last.Pods.Count(p => p.IsServing);
                    MinPods = Math.Min(MinPods, pods);
                    MaxPods = Math.Max(MaxPods, pods);
                    show?.Invoke(Last);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // A missed sample is only a gap in the view.
                }
                PeakOpen = Math.Max(PeakOpen, open());
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
