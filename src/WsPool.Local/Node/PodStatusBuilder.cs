using k8s.Models;

namespace WsPool.Local.Node;

/// <summary>
/// A pod's status as the kubelet reports it, from its containers' views: phase, podIP/podIPs, hostIP/hostIPs,
/// startTime, containerStatuses and the conditions PodScheduled, Initialized, ContainersReady and Ready. A condition's
/// lastTransitionTime moves only when its status changes, so the builder lives as long as the pod.
/// </summary>
internal sealed class PodStatusBuilder(DateTimeOffset startTime, string hostIP)
{
    private readonly Dictionary<string, (string Status, DateTime Since)> _transitions = new(StringComparer.Ordinal);

    public const string Pending = "Pending";
    public const string Running = "Running";
    public const string Succeeded = "Succeeded";
    public const string Failed = "Failed";

    /// <summary>The phase: Pending until every container has started once, Succeeded/Failed once all ended for good.</summary>
    public static string PhaseOf(IReadOnlyList<ContainerView> containers, bool allEndedForGood)
    {
        if (containers.Count == 0) return Pending;
        if (allEndedForGood)
            return containers.All(c => c.Terminated?.ExitCode == 0) ? Succeeded : Failed;
        return containers.All(c => c.Started) ? Running : Pending;
    }

    public V1PodStatus Build(string phase, string? podIP, IReadOnlyList<ContainerView> containers, bool terminating, DateTimeOffset now)
    {
        var unready = containers.Where(c => !c.Ready).Select(c => c.Name).ToList();
        var ready = !terminating && containers.Count > 0 && unready.Count == 0 && phase == Running;
        var notReadyMessage = terminating ? "the pod is terminating" : $"containers with unready status: [{string.Join(" ", unready)}]";
        return new V1PodStatus
        {
            Phase = phase,
            HostIP = hostIP,
            HostIPs = [new V1HostIP { Ip = hostIP }],
            PodIP = podIP,
            PodIPs = podIP is null ? null : [new V1PodIP { Ip = podIP }],
            StartTime = startTime.UtcDateTime,
            Conditions =
            [
                Condition("PodScheduled", true, null, null, now),
                Condition("Initialized", true, null, null, now),
                Condition("ContainersReady", ready, ready ? null : "ContainersNotReady", ready ? null : notReadyMessage, now),
                Condition("Ready", ready, ready ? null : "ContainersNotReady", ready ? null : notReadyMessage, now),
            ],
            ContainerStatuses = containers.Select(ContainerStatus).ToList(),
        };
    }

    private V1PodCondition Condition(string type, bool value, string? reason, string? message, DateTimeOffset now)
    {
        var status = value ? "True" : "False";
        if (!_transitions.TryGetValue(type, out var known) || known.Status != status)
            _transitions[type] = known = (status, now.UtcDateTime);
        return new V1PodCondition { Type = type, Status = status, LastTransitionTime = known.Since, Reason = reason, Message = message };
    }

    private static V1ContainerStatus ContainerStatus(ContainerView view) => new()
    {
        Name = view.Name,
        Image = view.Image,
        ImageID = view.Image,
        ContainerID = view.Pid is { } pid ? $"local://{pid}" : null,
        Ready = view.Ready,
        Started = view.State == ContainerView.Running && view.Started,
        RestartCount = view.RestartCount,
        State = view.State switch
        {
            ContainerView.Running => new V1ContainerState { Running = new V1ContainerStateRunning { StartedAt = view.StartedAt?.UtcDateTime } },
            ContainerView.Ended when view.Terminated is { } ended => new V1ContainerState { Terminated = Terminated(ended) },
            _ => new V1ContainerState { Waiting = new V1ContainerStateWaiting { Reason = view.Reason, Message = view.Message } },
        },
        LastState = view.LastTerminated is { } last ? new V1ContainerState { Terminated = Terminated(last) } : new V1ContainerState(),
    };

    private static V1ContainerStateTerminated Terminated(ContainerTermination ended) => new()
    {
        ExitCode = ended.ExitCode,
        Reason = ended.Reason,
        StartedAt = ended.StartedAt.UtcDateTime,
        FinishedAt = ended.FinishedAt.UtcDateTime,
    };
}
