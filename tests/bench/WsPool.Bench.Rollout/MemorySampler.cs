namespace WsPool.Bench.Rollout;

/// <summary>
/// The resident memory of the bench and every process it started (pods, HAProxy, dnsmasq), sampled every second
/// from /proc: what the run costs the machine.
/// </summary>
public sealed class MemorySampler
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _sampling;
    private double _peakMb;

    private MemorySampler() => _sampling = SampleAsync();

    public static MemorySampler Start() => new();

    /// <summary>Stops sampling; returns the peak in MB.</summary>
    public double Stop()
    {
        _stop.Cancel();
        try { _sampling.Wait(); }
        catch (AggregateException) { }
        return _peakMb;
    }

    public static long TotalMemoryMb()
    {
        var line = File.ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemTotal:", StringComparison.Ordinal));
        return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024;
    }

    private async Task SampleAsync()
    {
        var self = Environment.ProcessId;
        while (!_stop.IsCancellationRequested)
        {
            _peakMb = Math.Max(_peakMb, TreeRssKb(self) / 1024.0);
            try { await Task.Delay(TimeSpan.FromSeconds(1), _stop.Token); }
            catch (OperationCanceledException) { return; }
        }
    }

    private static long TreeRssKb(int root)
    {
        var parents = new Dictionary<int, int>();
        var rss = new Dictionary<int, long>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            try
            {
                foreach (var line in File.ReadLines(Path.Combine(dir, "status")))
                {
                    if (line.StartsWith("PPid:", StringComparison.Ordinal)) parents[pid] = int.Parse(line[5..].Trim());
                    else if (line.StartsWith("VmRSS:", StringComparison.Ordinal)) rss[pid] = long.Parse(line[6..].Trim().Split(' ')[0]);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
            {
                // the process ended while we read it
            }
        }
        long total = 0;
        foreach (var (pid, kb) in rss)
        {
            for (var p = pid; p > 1; p = parents.GetValueOrDefault(p, 0))
            {
                if (p != root) continue;
                total += kb;
                break;
            }
        }
        return total;
    }
}
