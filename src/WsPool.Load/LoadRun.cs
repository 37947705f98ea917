using System.Diagnostics;

namespace WsPool.Load;

/// <summary>
/// A load run in progress: connections ramp up at the configured rate, are held, then closed. Tests and benchmarks
/// can watch it (<see cref="Snapshot"/>, <see cref="WaitForAsync"/>) and end it early (<see cref="StopAsync"/>);
/// the summary then covers what happened until the stop.
/// </summary>
public sealed class LoadRun : IAsyncDisposable
{
    private readonly LoadOptions _options;
    private readonly LoadStats _stats = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _rampDone = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly List<LoadConnection> _connections = [];
    private TimeSpan _rampTime;

    internal LoadRun(LoadOptions options)
    {
        _options = options;
        Completion = RunAsync();
    }

    /// <summary>Completes with the summary once every connection is closed.</summary>
    public Task<LoadSummary> Completion { get; }

    /// <summary>Completes when every connection has made its first attempt.</summary>
    public Task RampDone => _rampDone.Task;

    public LoadSnapshot Snapshot() => new(
        _stats.Open, _stats.Opened, _stats.Failed.Values.Sum(), _stats.ClosedEarly.Values.Sum(), _stats.Reconnects,
        _stats.Sent, _stats.Received, _rampDone.Task.IsCompleted, LoadStats.Sorted(_stats.OpenPerReplica));

    /// <summary>Waits until the live counts satisfy <paramref name="condition"/>; fails with the counts after the timeout.</summary>
    public async Task<LoadSnapshot> WaitForAsync(Func<LoadSnapshot, bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var snapshot = Snapshot();
            if (condition(snapshot)) return snapshot;
            if (DateTime.UtcNow >= deadline) throw new TimeoutException($"load did not reach the condition in {timeout}: {snapshot}");
            if (Completion.IsCompleted) throw new InvalidOperationException($"the load run ended before the condition held: {snapshot}");
            await Task.Delay(20);
        }
    }

    /// <summary>Ends the hold now (or the ramp, if still running).</summary>
    public void Stop()
    {
        try
        {
            _stop.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // already finished
        }
    }

    /// <summary>Ends the run now and returns its summary.</summary>
    public Task<LoadSummary> StopAsync()
    {
        Stop();
        return Completion;
    }

    private async Task<LoadSummary> RunAsync()
    {
        await Task.Yield(); // return the LoadRun to the caller before the first connect
        using var handlers = new ConnectionHandlers(_options.SourceAddresses, _options.Insecure);
        using var context = new LoadContext(_options, _stats, handlers, _stop.Token) { FirstAttemptMade = OnFirstAttempt };

        var slots = new List<Task>(_options.Connections);
        for (var i = 0; i < _options.Connections; i++)
        {
            var connection = new LoadConnection(i, context);
            _connections.Add(connection);
            var due = _options.ConnectRate > 0 ? TimeSpan.FromSeconds(i / _options.ConnectRate) : TimeSpan.Zero;
            slots.Add(StartAsync(connection, due));
        }

        await HoldAsync();
        var openAtEnd = _stats.Open;
        var replicasAtEnd = LoadStats.Sorted(_stats.OpenPerReplica);
        var stopped = _stop.IsCancellationRequested;
        Stop();
        await Task.WhenAll(slots);

        var rampSeconds = (_rampDone.Task.IsCompleted ? _rampTime : _clock.Elapsed).TotalSeconds;
        return new LoadSummary
        {
            Url = _options.Url.ToString(),
            Connections = _options.Connections,
            Opened = _stats.Opened,
            OpenAtEnd = openAtEnd,
            Failed = LoadStats.Sorted(_stats.Failed),
            ClosedEarly = LoadStats.Sorted(_stats.ClosedEarly),
            Reconnects = _stats.Reconnects,
            Replicas = LoadStats.Sorted(_stats.Replicas),
            ReplicasAtEnd = replicasAtEnd,
            MessagesSent = _stats.Sent,
            MessagesReceived = _stats.Received,
            EchoLatency = LatencySummary.From(_stats.EchoMs.ToArray()),
            HandshakeLatency = LatencySummary.From(_stats.HandshakeMs.ToArray()),
            RampSeconds = Math.Round(rampSeconds, 3),
            ConnectsPerSecond = rampSeconds > 0 ? Math.Round(_stats.FirstSuccesses / rampSeconds, 1) : 0,
            DurationSeconds = Math.Round(_clock.Elapsed.TotalSeconds, 3),
            Stopped = stopped,
            Details = _options.KeepDetails ? _connections.Select(c => c.Detail).ToList() : null,
        };
    }

    private async Task StartAsync(LoadConnection connection, TimeSpan due)
    {
        try
        {
            var wait = due - _clock.Elapsed;
            if (wait > TimeSpan.Zero) await Task.Delay(wait, _stop.Token);
            else await Task.Yield();
        }
        catch (OperationCanceledException)
        {
            OnFirstAttempt(false); // stopped before its turn: the ramp still ends
            return;
        }
        await connection.RunAsync();
    }

    private void OnFirstAttempt(bool succeeded)
    {
        if (_stats.FirstAttemptMade(succeeded) != _options.Connections) return;
        _rampTime = _clock.Elapsed;
        _rampDone.TrySetResult();
    }

    private async Task HoldAsync()
    {
        try
        {
            await _rampDone.Task.WaitAsync(_stop.Token);
            if (_options.Hold is { } hold) await Task.Delay(hold, _stop.Token);
            else await Task.Delay(Timeout.Infinite, _stop.Token);
        }
        catch (OperationCanceledException)
        {
            // stopped early
        }
    }

    public async ValueTask DisposeAsync()
    {
        Stop();
        try
        {
            await Completion;
        }
        catch (Exception)
        {
            // the caller saw or ignored the failure already
        }
        _stop.Dispose();
    }
}
