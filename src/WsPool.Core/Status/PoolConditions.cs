using k8s.Models;
using WsPool.Core.Api;
using WsPool.Core.Balancers;

namespace WsPool.Core.Status;

/// <summary>Condition types and reasons the operator sets on a WebSocketPool (CamelCase, as Kubernetes expects).</summary>
public static class PoolConditions
{
    public const string Ready = "Ready";
    public const string Progressing = "Progressing";
    public const string Degraded = "Degraded";
    /// <summary>The autoscaler's last decision (only on pools with spec.scaling.enabled).</summary>
    public const string Scaling = "Scaling";

    public static class Reasons
    {
        public const string Available = "Available";
        public const string RollingOut = "RollingOut";
        public const string Complete = "Complete";
        public const string AsExpected = "AsExpected";
        public const string InvalidSpec = "InvalidSpec";
        public const string ApplyFailed = "ApplyFailed";
        /// <summary>The cluster lacks what the balancer kind needs (one <c>&lt;X&gt;Missing</c> reason per prerequisite: ClusterPrerequisites).</summary>
        public const string GatewayApiMissing = ClusterPrerequisites.GatewayApiMissing;
        public const string IngressClassMissing = ClusterPrerequisites.IngressClassMissing;
        public const string Reconciled = "Reconciled";
    }

    public static V1Condition? Find(WebSocketPoolStatus? status, string type) =>
        status?.Conditions?.FirstOrDefault(c => c.Type == type);

    /// <summary>
    /// Sets (or replaces) a condition in the list. lastTransitionTime changes only when the status flips; a changed
    /// reason or message keeps the old transition time, as metav1.Condition prescribes.
    /// </summary>
    public static void Set(List<V1Condition> conditions, string type, bool value, string reason, string message,
        long? generation, DateTime now)
    {
        var status = value ? "True" : "False";
        var existing = conditions.FindIndex(c => c.Type == type);
        var transition = existing >= 0 && conditions[existing].Status == status
            ? conditions[existing].LastTransitionTime
            : now;
        var condition = new V1Condition
        {
            Type = type,
            Status = status,
            Reason = reason,
            Message = message.Length > 32768 ? message[..32768] : message,
            ObservedGeneration = generation,
            LastTransitionTime = transition,
        };
        if (existing >= 0) conditions[existing] = condition;
        else conditions.Add(condition);
    }
}
