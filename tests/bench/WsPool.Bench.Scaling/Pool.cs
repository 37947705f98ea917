namespace WsPool.Bench.Scaling;

/// <summary>The pool every policy runs against: the same limits, start-up time and drain window for all.</summary>
public sealed record PoolModel(
    int MinReplicas = 1,
    int MaxReplicas = 60,
    int Target = 1000,
    int Limit = 2000,
    int StartupSeconds = 20,
    int DrainSeconds = 60,
    int RetryBackoffSeconds = 5,
    int ReconnectJitterSeconds = 10);

/// <summary>A simulated backend pod.</summary>
public sealed class SimPod(int id, int createdAt, int readyAt)
{
    public int Id { get; } = id;
    public string Name => $"pod-{Id}";
    public int CreatedAt { get; } = createdAt;
    public int ReadyAt { get; } = readyAt;
    public long Connections { get; set; }
    /// <summary>Set once the pod is being removed: it takes no new connections and closes its own over the drain.</summary>
    public int? DrainEndsAt { get; set; }

    public bool IsReady(int t) => t >= ReadyAt && DrainEndsAt is null;
}

/// <summary>What a policy sees at the end of a second: the ready pods' live connections and the replica count.</summary>
public sealed record Observation(int Time, int Replicas, IReadOnlyDictionary<string, long> ReadyPodConnections)
{
    public long Total => ReadyPodConnections.Values.Sum();
}

/// <summary>Which pods a scale-down removes.</summary>
public enum RemovalOrder
{
    /// <summary>Pod-deletion-cost = live connections (wspool): the emptiest ready pods go first.</summary>
    EmptiestFirst,

    /// <summary>The ReplicaSet's default ranking without deletion costs: the most recently started pods go first.</summary>
    NewestFirst,
}

/// <summary>A scaling policy under test: called every simulated second; returns the replicas it wants.</summary>
public interface IScalingModel
{
    string Name { get; }
    RemovalOrder Removal { get; }
    int Decide(Observation observation);
}
