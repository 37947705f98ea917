namespace WsPool.KubeEmulator.Faults;

/// <summary>
/// Fault injection, switchable at runtime. Draws come from one seeded generator, so a given request order gets the
/// same faults every run. Discovery (/version, /api, /apis) is never faulted. Direct store access bypasses faults.
/// </summary>
public sealed class FaultSettings
{
    private readonly Lock _gate = new();
    private readonly List<FaultRule> _rules = [];
    private Random _random;

    public FaultSettings(int seed = 1) => _random = new Random(seed);

    /// <summary>Master switch; rules are kept while disabled.</summary>
    public bool Enabled { get; set; } = true;

    public TimeSpan SlowResponseDelay { get; set; } = TimeSpan.FromMilliseconds(200);
    public int RetryAfterSeconds { get; set; } = 1;
    public TimeSpan WatchDropAfterMax { get; set; } = TimeSpan.FromSeconds(2);

    public IReadOnlyList<FaultRule> Rules
    {
        get { lock (_gate) return _rules.ToList(); }
    }

    public FaultSettings Add(FaultRule rule)
    {
        lock (_gate) _rules.Add(rule);
        return this;
    }

    /// <summary>Adds a rule; <paramref name="verbs"/> and <paramref name="resources"/> narrow it (null = all).</summary>
    public FaultSettings Add(FaultKind kind, double rate, IEnumerable<string>? verbs = null, IEnumerable<string>? resources = null) =>
        Add(new FaultRule(kind, rate)
        {
            Verbs = (verbs ?? []).ToHashSet(StringComparer.Ordinal),
            Resources = (resources ?? []).ToHashSet(StringComparer.Ordinal),
        });

    /// <summary>Every fault kind at <paramref name="rate"/>.</summary>
    public FaultSettings AddAll(double rate)
    {
        foreach (var kind in Enum.GetValues<FaultKind>()) Add(kind, rate);
        return this;
    }

    public void Clear()
    {
        lock (_gate) _rules.Clear();
    }

    /// <summary>Restarts the random sequence.</summary>
    public void Reseed(int seed)
    {
        lock (_gate) _random = new Random(seed);
    }

    /// <summary>The faults to inject into one request (at most one error reply; delays and drops combine with it).</summary>
    internal FaultDecision Decide(string verb, string resource)
    {
        if (!Enabled) return FaultDecision.None;
        lock (_gate)
        {
            if (_rules.Count == 0) return FaultDecision.None;
            var decision = FaultDecision.None;
            foreach (var rule in _rules)
            {
                if (!rule.AppliesTo(verb, resource)) continue;
                if (_random.NextDouble() >= rule.Rate) continue;
                switch (rule.Kind)
                {
                    case FaultKind.SlowResponse:
                        decision = decision with { Delay = SlowResponseDelay };
                        break;
                    case FaultKind.DropWatch:
                        decision = decision with { DropWatchAfter = TimeSpan.FromMilliseconds(_random.NextDouble() * WatchDropAfterMax.TotalMilliseconds) };
                        break;
                    default:
                        decision = decision with { Error = decision.Error ?? rule.Kind };
                        break;
                }
            }
            return decision;
        }
    }
}

/// <summary>What to inject into one request.</summary>
internal sealed record FaultDecision(FaultKind? Error = null, TimeSpan? Delay = null, TimeSpan? DropWatchAfter = null)
{
    public static readonly FaultDecision None = new();
    public bool Any => Error is not null || Delay is not null || DropWatchAfter is not null;

    public string Describe() => string.Join(",", new[] { Error?.ToString(), Delay is null ? null : "SlowResponse", DropWatchAfter is null ? null : "DropWatch" }
        .OfType<string>());
}
