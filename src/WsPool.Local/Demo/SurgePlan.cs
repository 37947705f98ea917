namespace WsPool.Local.Demo;

/// <summary>
/// The load `make demo` puts on a local pool: a surge from 0 to <see cref="Peak"/> connections over
/// <see cref="Ramp"/>, held for <see cref="Hold"/>, then a decline to <see cref="Floor"/> (the surge's clients leave;
/// the floor's stay and reconnect when their pod drains), watched for up to <see cref="Settle"/> while the pool
/// scales back down.
/// </summary>
public sealed record SurgePlan
{
    public int Peak { get; init; } = 6000;
    public TimeSpan Ramp { get; init; } = TimeSpan.FromSeconds(30);
    public TimeSpan Hold { get; init; } = TimeSpan.FromSeconds(60);
    public int Floor { get; init; } = 500;
    public TimeSpan Settle { get; init; } = TimeSpan.FromMinutes(4);

    /// <summary>Where the floor clients connect from: 127.0.0.1 alone has ~28,000 ports towards one server port.</summary>
    public IReadOnlyList<System.Net.IPAddress> SourceAddresses { get; init; } = [];
}
