using System.Collections.Immutable;
using WsPool.Core.Scaling;

namespace WsPool.Core.Rollouts;

/// <summary>What the pacing remembers between ticks: the connections it asked old pods to close, and when.</summary>
public sealed record RolloutPacing(ImmutableList<ShedAt> Moved)
{
    public static readonly RolloutPacing Empty = new(ImmutableList<ShedAt>.Empty);

    /// <summary>The bound holds over every window of this length.</summary>
    public static readonly TimeSpan BoundWindow = TimeSpan.FromSeconds(1);

    /// <summary>The window the reported reconnect rate is measured over.</summary>
    public static readonly TimeSpan RateWindow = TimeSpan.FromSeconds(5);

    public int MovedWithin(TimeSpan window, DateTime now) => Moved.Where(m => m.At > now - window).Sum(m => m.Count);

    public double RatePerSecond(DateTime now) => MovedWithin(RateWindow, now) / RateWindow.TotalSeconds;

    public RolloutPacing Add(DateTime now, int count) =>
        new((count > 0 ? Moved.Add(new ShedAt(now, count)) : Moved).RemoveAll(m => m.At <= now - RateWindow));
}
