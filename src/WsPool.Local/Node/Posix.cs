using System.Runtime.InteropServices;

namespace WsPool.Local.Node;

/// <summary>The few POSIX calls the node needs that .NET does not offer: signals other than SIGKILL, and process groups.</summary>
internal static partial class Posix
{
    public const int SIGHUP = 1;
    public const int SIGKILL = 9;
    public const int SIGUSR2 = 12;
    public const int SIGTERM = 15;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int KillNative(int pid, int signal);

    /// <summary>Sends a signal to one process; false when it no longer exists.</summary>
    public static bool Signal(int pid, int signal) => pid > 0 && KillNative(pid, signal) == 0;

    /// <summary>Sends a signal to every process of a process group (the group a container's process leads).</summary>
    public static bool SignalGroup(int processGroup, int signal) => processGroup > 1 && KillNative(-processGroup, signal) == 0;

    /// <summary>
    /// True while any process that is not a zombie belongs to the group: a container is gone only when its workers and
    /// helpers are gone too, not just its first process. Reads /proc (Linux).
    /// </summary>
    public static bool GroupAlive(int processGroup)
    {
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out _)) continue;
            if (StatOf(dir) is { } stat && stat.ProcessGroup == processGroup && stat.State != 'Z') return true;
        }
        return false;
    }

    /// <summary>True while the process exists and is not a zombie.</summary>
    public static bool Alive(int pid) => StatOf($"/proc/{pid}") is { } stat && stat.State != 'Z';

    /// <summary>State and process group from /proc/PID/stat; null when the process is gone.</summary>
    private static (char State, int ProcessGroup)? StatOf(string dir)
    {
        string text;
        try
        {
            text = File.ReadAllText(Path.Combine(dir, "stat"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
        // "pid (comm) state ppid pgrp ...": comm may hold spaces and parentheses, so read after the last ')'.
        var end = text.LastIndexOf(')');
        if (end < 0) return null;
        var fields = text[(end + 2)..].Split(' ');
        return fields.Length > 2 && int.TryParse(fields[2], out var group) ? (fields[0][0], group) : null;
    }
}
