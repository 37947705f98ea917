using System.Globalization;
using k8s.Models;

namespace WsPool.Operator.Scaling;

/// <summary>What the scaler reads from pod objects: readiness, address, ports and start-up time.</summary>
public static class PodFacts
{
    /// <summary>Ready, with an IP and not being deleted: the pods that hold connections and can be scraped.</summary>
    public static bool IsReady(V1Pod pod) =>
        pod.Metadata?.DeletionTimestamp is null
        && !string.IsNullOrEmpty(pod.Status?.PodIP)
        && pod.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true;

    /// <summary>
    /// Creation to Ready over the pool's pods that are Ready, the median (robust against one slow node), or null when
    /// none is. A pod that went unready and back reports its latest transition and so a longer time; the median
    /// keeps a few such pods from moving the figure.
    /// </summary>
    public static TimeSpan? MeasuredStartupTime(IEnumerable<V1Pod> pods)
    {
        var times = pods
            .Select(p => (Created: p.Metadata?.CreationTimestamp,
                Ready: p.Status?.Conditions?.FirstOrDefault(c => c.Type == "Ready" && c.Status == "True")?.LastTransitionTime))
            .Where(t => t.Created is not null && t.Ready is not null && t.Ready >= t.Created)
            .Select(t => t.Ready!.Value - t.Created!.Value)
            .Order()
            .ToList();
        return times.Count == 0 ? null : times[times.Count / 2];
    }

    /// <summary>A port given as a number, or the name of a container port of the pod; null when a name is unknown.</summary>
    public static int? ResolvePort(IntOrString port, V1Pod pod)
    {
        var text = port.Value;
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number)) return number;
        return pod.Spec?.Containers?
            .SelectMany(c => c.Ports ?? [])
            .FirstOrDefault(p => p.Name == text)?.ContainerPort;
    }
}
