namespace WsPool.Load;

/// <summary>Latency percentiles in milliseconds over <see cref="Count"/> samples (all zero when there are none).</summary>
public sealed record LatencySummary(int Count, double P50Ms, double P95Ms, double P99Ms, double MaxMs)
{
    public static LatencySummary From(IReadOnlyList<double> samplesMs)
    {
        if (samplesMs.Count == 0) return new LatencySummary(0, 0, 0, 0, 0);
        var sorted = samplesMs.Order().ToArray();
        double Rank(double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
        return new LatencySummary(sorted.Length, Round(Rank(0.50)), Round(Rank(0.95)), Round(Rank(0.99)), Round(sorted[^1]));
    }

    private static double Round(double value) => Math.Round(value, 3);
}

/// <summary>
/// One connection slot's history: the replicas it landed on, in order, and how each session ended. ConnectedAt holds
/// the wall-clock time of each successful handshake, aligned with <see cref="Replicas"/> (reconnects per second).
/// </summary>
public sealed record ConnectionDetail(int Index, IReadOnlyList<string> Replicas, IReadOnlyList<string> Ends)
{
    public IReadOnlyList<DateTimeOffset> ConnectedAt { get; init; } = [];
}

/// <summary>The outcome of a load run.</summary>
public sealed record LoadSummary
{
    public required string Url { get; init; }

    /// <summary>Connections asked for.</summary>
    public int Connections { get; init; }

    /// <summary>Successful handshakes, reconnects included (compare with the server's websocket_connections_total).</summary>
    public int Opened { get; init; }

    /// <summary>Connections open when the hold ended, before wsload closed them.</summary>
    public int OpenAtEnd { get; init; }

    /// <summary>Handshakes that failed, by reason: <c>http-503</c>, <c>connection-refused</c>, <c>timeout</c>, ...</summary>
    public IReadOnlyDictionary<string, int> Failed { get; init; } = new Dictionary<string, int>();

    public int FailedTotal => Failed.Values.Sum();

    /// <summary>Connections the server (or the network) ended before the run did, by close code (<c>abnormal</c>: no close frame).</summary>
    public IReadOnlyDictionary<string, int> ClosedEarly { get; init; } = new Dictionary<string, int>();

    public int ClosedEarlyTotal => ClosedEarly.Values.Sum();

    /// <summary>Successful handshakes that replaced an earlier connection of the same slot.</summary>
    public int Reconnects { get; init; }

    /// <summary>Handshakes per replica, from /whoami (<c>unknown</c> when the server did not answer).</summary>
    public IReadOnlyDictionary<string, int> Replicas { get; init; } = new Dictionary<string, int>();

    /// <summary>Connections open per replica when the hold ended.</summary>
    public IReadOnlyDictionary<string, int> ReplicasAtEnd { get; init; } = new Dictionary<string, int>();

    public long MessagesSent { get; init; }
    public long MessagesReceived { get; init; }

    /// <summary>Round trips of /echo messages.</summary>
    public required LatencySummary EchoLatency { get; init; }

    /// <summary>Time from the start of a connect to the completed WebSocket handshake.</summary>
    public required LatencySummary HandshakeLatency { get; init; }

    /// <summary>Seconds until every connection had connected (and learned its replica from /whoami) or failed its first attempt.</summary>
    public double RampSeconds { get; init; }

    /// <summary>First-attempt successes per second of ramp: the accept rate the target sustained.</summary>
    public double ConnectsPerSecond { get; init; }

    public double DurationSeconds { get; init; }

    /// <summary>True when the run was stopped (cancelled) before its hold ended.</summary>
    public bool Stopped { get; init; }

    /// <summary>Per-connection history, when <see cref="LoadOptions.KeepDetails"/> is set.</summary>
    public IReadOnlyList<ConnectionDetail>? Details { get; init; }
}

/// <summary>Live counts of a running load, for progress displays and tests waiting on a condition.</summary>
public sealed record LoadSnapshot(
    int Open, int Opened, int FailedTotal, int ClosedEarlyTotal, int Reconnects, long MessagesSent, long MessagesReceived,
    bool RampDone, IReadOnlyDictionary<string, int> OpenPerReplica);
