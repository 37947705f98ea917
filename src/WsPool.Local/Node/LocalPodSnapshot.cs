namespace WsPool.Local.Node;

/// <summary>
/// What the live view shows of one pod the node runs, at one instant (immutable; <see cref="LocalNode.Pods"/> hands
/// out a fresh list on each read).
/// </summary>
/// <param name="Namespace">The pod's namespace.</param>
/// <param name="Name">The pod's name.</param>
/// <param name="Uid">The pod's uid (a pod recreated under the same name is another pod).</param>
/// <param name="IP">Its loopback address, or null before it has one (and after it was released).</param>
/// <param name="Phase">Pending, Running, Succeeded or Failed, as written to the pod's status.</param>
/// <param name="Ready">The pod's Ready condition.</param>
/// <param name="Restarts">Container restarts, summed over its containers.</param>
/// <param name="Reloads">In-place reloads of its balancer (HAProxy SIGUSR2, NGINX SIGHUP) after a config change.</param>
/// <param name="TerminatingSince">When termination began (deletion seen), or null.</param>
/// <param name="Directory">The pod's directory: volumes, rewritten configs, and one log file per container.</param>
/// <param name="Containers">Each container, in the pod's order.</param>
public sealed record LocalPodSnapshot(
    string Namespace,
    string Name,
    string Uid,
    string? IP,
    string Phase,
    bool Ready,
    int Restarts,
    int Reloads,
    DateTimeOffset? TerminatingSince,
    string Directory,
    IReadOnlyList<LocalContainerSnapshot> Containers)
{
    public override string ToString() =>
        $"{Namespace}/{Name} {IP ?? "-"} {Phase} ready={Ready} restarts={Restarts} reloads={Reloads}" +
        (TerminatingSince is null ? "" : " terminating") + " [" + string.Join(", ", Containers) + "]";
}

/// <param name="Name">The container's name.</param>
/// <param name="Image">Its image.</param>
/// <param name="Kind">What runs for the image, or null when the image has no command here (ImageNotMapped).</param>
/// <param name="State">Waiting, Running or Terminated.</param>
/// <param name="Reason">Why it waits or how it ended (ImageNotMapped, CrashLoopBackOff, Completed, Error, ...).</param>
/// <param name="Pid">The running process (a process group leader), or null.</param>
/// <param name="Ready">Its readiness.</param>
/// <param name="Restarts">Its restartCount.</param>
/// <param name="LastExitCode">The exit code of its last run that ended (128 + signal when a signal ended it).</param>
/// <param name="LogFile">stdout and stderr of every run, appended.</param>
public sealed record LocalContainerSnapshot(
    string Name,
    string Image,
    ContainerKind? Kind,
    string State,
    string? Reason,
    int? Pid,
    bool Ready,
    int Restarts,
    int? LastExitCode,
    string LogFile)
{
    public override string ToString() =>
        $"{Name} {State}{(Reason is null ? "" : $"({Reason})")} pid={Pid?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"} ready={Ready} restarts={Restarts} exit={LastExitCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"}";
}
