using System.Collections;
using System.Diagnostics;

namespace WsPool.Local.Node;

/// <summary>
/// One run of one container: a child process in its own session and process group (started through
/// <c>setsid</c>), with stdin from /dev/null and stdout+stderr appended by the kernel to the container's log file.
/// <list type="bullet">
/// <item>Its own group: SIGKILL reaches every process of the container (NGINX and HAProxy workers, a shell's
/// children) as a container runtime's cgroup kill does, and a Ctrl-C in the terminal reaches only the node, which then
/// stops its pods in order instead of every pod dying at once.</item>
/// <item>The log written by the process itself (a shell redirection, then <c>exec</c>, so the PID is the program's):
/// nothing to pump in this process, and a chatty balancer can never block on a full pipe.</item>
/// </list>
/// Signals follow the container contract: SIGTERM to the main process only, SIGKILL to the whole group.
/// </summary>
internal sealed class PodProcess
{
    // $0 is the log file, "$@" the program and its arguments: no quoting of user input ever happens.
    private const string Launcher = "exec </dev/null >>\"$0\" 2>&1; exec \"$@\"";

    /// <summary>Inherited variables that would configure the container from the node's own environment.</summary>
    private static readonly string[] HostPrefixesNotInherited = ["ASPNETCORE_", "WSPOOL_"];
    private static readonly string[] HostNamesNotInherited = ["DOTNET_ENVIRONMENT", "POD_IP", "PORT", "HOSTNAME"];

    private static readonly string? SetSid = FindOnPath("setsid");

    private readonly Process _process;
    private readonly bool _ownGroup;

    private PodProcess(Process process, bool ownGroup)
    {
        _process = process;
        _ownGroup = ownGroup;
        Pid = process.Id;
        StartedAt = DateTimeOffset.UtcNow;
        Exited = WaitAsync();
    }

    public int Pid { get; }

    public DateTimeOffset StartedAt { get; }

    /// <summary>Completes with the exit code when the main process ends (128 + signal when a signal ended it).</summary>
    public Task<int> Exited { get; }

    public bool HasExited => Exited.IsCompleted;

    /// <summary>
    /// Starts the command. The environment is the node's own (so tools find their libraries and PATH), minus what
    /// would configure the program behind the pod's back (ASPNETCORE_*, WSPOOL_*), plus the container's variables.
    /// </summary>
    public static PodProcess Start(ContainerCommand command, IReadOnlyList<KeyValuePair<string, string>> environment, string logFile)
    {
        Directory.CreateDirectory(command.WorkingDirectory);
        Directory.CreateDirectory(Path.GetDirectoryName(logFile)!);
        var info = new ProcessStartInfo(SetSid ?? "/bin/sh") { UseShellExecute = false, WorkingDirectory = command.WorkingDirectory };
        if (SetSid is not null) info.ArgumentList.Add("/bin/sh");
        foreach (var argument in (string[])["-c", Launcher, logFile, command.FileName, .. command.Arguments]) info.ArgumentList.Add(argument);

        info.Environment.Clear();
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            var name = (string)entry.Key;
            if (HostNamesNotInherited.Contains(name) || HostPrefixesNotInherited.Any(prefix => name.StartsWith(prefix, StringComparison.Ordinal))) continue;
            info.Environment[name] = (string?)entry.Value;
        }
        foreach (var (name, value) in environment) info.Environment[name] = value;
        foreach (var (name, value) in command.Environment) info.Environment[name] = value;

        var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {command.FileName}");
        return new PodProcess(process, SetSid is not null);
    }

    public bool Signal(int signal) => !HasExited && Posix.Signal(Pid, signal);

    /// <summary>
    /// SIGTERM, up to <paramref name="grace"/> to exit, then SIGKILL to the whole group; returns the exit code. When
    /// <paramref name="hurry"/> is cancelled during the wait (the node is shutting down), only
    /// <paramref name="hurryGrace"/> more is given.
    /// </summary>
    public async Task<int> StopAsync(TimeSpan grace, CancellationToken hurry = default, TimeSpan hurryGrace = default)
    {
        Signal(Posix.SIGTERM);
        try
        {
            await Exited.WaitAsync(grace > TimeSpan.Zero ? grace : TimeSpan.Zero, hurry);
        }
        catch (TimeoutException)
        {
            KillGroup();
        }
        catch (OperationCanceledException)
        {
            try
            {
                await Exited.WaitAsync(hurryGrace);
            }
            catch (TimeoutException)
            {
                KillGroup();
            }
        }
        var code = await Exited;
        KillGroup();
        return code;
    }

    /// <summary>
    /// SIGKILL to every process of the container. Also after the main process exited: when a container's first
    /// process ends, the runtime kills the rest of it (an NGINX worker whose master was killed, a shell's child).
    /// </summary>
    public void KillGroup()
    {
        if (_ownGroup)
        {
            Posix.SignalGroup(Pid, Posix.SIGKILL);
            return;
        }
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // already gone
        }
    }

    /// <summary>Whether any process of the container is still alive (the main one or one it started).</summary>
    public bool AnyAlive => _ownGroup ? Posix.GroupAlive(Pid) : !HasExited;

    private async Task<int> WaitAsync()
    {
        await _process.WaitForExitAsync();
        var code = _process.ExitCode;
        _process.Dispose();
        return code;
    }

    private static string? FindOnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, program))
            .FirstOrDefault(File.Exists);
}
