using WsPool.Core.Api;
using WsPool.Core.Scaling;

namespace WsPool.Bench.Scaling;

/// <summary>
/// wspool: Core's <see cref="ScalingPolicy"/> itself, with the spec's defaults (only min/max/target/limit set to the
/// simulated pool), polling live per-pod counts every spec.scaling.pollInterval. podStartupTime is left unset, so the
/// start-up time is the one measured from the pool's own pods, as the operator does.
/// </summary>
public sealed class WsPoolModel : IScalingModel
{
    private static readonly DateTime Epoch = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private readonly ScalingSettings _settings;
    private readonly int _pollSeconds;
    private ScalingState _state = ScalingState.Empty;
    private int? _desired;

    public WsPoolModel(PoolModel pool)
    {
        var spec = new WebSocketPoolSpec
        {
            MinReplicas = pool.MinReplicas,
            MaxReplicas = pool.MaxReplicas,
            Connections = new ConnectionsSpec { Target = pool.Target, Limit = pool.Limit },
        };
        spec.Scaling.Enabled = true;
        _settings = ScalingSettings.From(spec, measuredPodStartup: TimeSpan.FromSeconds(pool.StartupSeconds));
        _pollSeconds = Math.Max(1, (int)DurationParser.Parse(spec.Scaling.PollInterval).TotalSeconds);
    }

    public string Name => "wspool";
    public RemovalOrder Removal => RemovalOrder.EmptiestFirst;

    /// <summary>The reason of every decision that changed the replicas, for the log.</summary>
    public List<(int Time, string Reason)> Changes { get; } = [];

    public int Decide(Observation observation)
    {
        if (_desired is not null && Mod(observation.Time, _pollSeconds) != 0) return _desired.Value;
        var now = Epoch.AddSeconds(observation.Time + 86_400);
        var sample = ConnectionSample.Of(now, observation.ReadyPodConnections);
        var decision = ScalingPolicy.Decide(_settings, _state, observation.Replicas, sample, now);
        _state = decision.NextState;
        _desired = decision.DesiredReplicas;
        if (decision.DesiredReplicas != observation.Replicas) Changes.Add((observation.Time, decision.Reason));
        return decision.DesiredReplicas;
    }

    internal static int Mod(int a, int m) => ((a % m) + m) % m;
}
