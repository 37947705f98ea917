using System.Globalization;

namespace WsPool.Bench.Backend;

/// <summary>Resident memory of a process, from /proc/PID/status (Linux).</summary>
internal static class ProcessMemory
{
    public static long ResidentBytes(int pid)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (!line.StartsWith("VmRSS:", StringComparison.Ordinal)) continue;
            var kilobytes = line["VmRSS:".Length..].Trim().Split(' ')[0];
            return long.Parse(kilobytes, CultureInfo.InvariantCulture) * 1024;
        }
        throw new InvalidOperationException($"no VmRSS for process {pid}");
    }

    /// <summary>Samples the RSS a few times over a settling period and returns the last value (memory after the burst).</summary>
    public static async Task<long> SettledResidentBytesAsync(int pid, TimeSpan settle)
    {
        var end = DateTime.UtcNow + settle;
        var value = ResidentBytes(pid);
        while (DateTime.UtcNow < end)
        {
            await Task.Delay(250);
            value = ResidentBytes(pid);
        }
        return value;
    }
}
