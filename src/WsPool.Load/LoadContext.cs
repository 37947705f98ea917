namespace WsPool.Load;

/// <summary>What the connections of one run share.</summary>
internal sealed class LoadContext(LoadOptions options, LoadStats stats, ConnectionHandlers handlers, CancellationToken stopping) : IDisposable
{
    private readonly Random _random = options.Seed is { } seed ? new Random(seed) : new Random();
    private readonly Lock _randomLock = new();

    public LoadOptions Options { get; } = options;
    public LoadStats Stats { get; } = stats;
    public ConnectionHandlers Handlers { get; } = handlers;
    public CancellationToken Stopping { get; } = stopping;
    public SemaphoreSlim Handshakes { get; } = new(options.ConnectConcurrency);
    public CookieJar SharedCookies { get; } = new();

    /// <summary>Called once per connection after its first attempt (the ramp is done when all have called).</summary>
    public Action<bool> FirstAttemptMade { get; init; } = _ => { };

    public double NextRandom()
    {
        lock (_randomLock) return _random.NextDouble();
    }

    public void Dispose() => Handshakes.Dispose();
}
