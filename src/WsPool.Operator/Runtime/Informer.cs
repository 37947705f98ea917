using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace WsPool.Operator.Runtime;

/// <summary>Timings of an informer. Defaults follow client-go's reflector; tests shorten them.</summary>
public sealed record InformerOptions
{
    /// <summary>The server ends each watch after this long (client-go picks 5–10 min); the informer then resumes.</summary>
    public TimeSpan WatchTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Extra time past <see cref="WatchTimeout"/> before a stream that sent nothing is declared stalled and torn down:
    /// a healthy server must have closed it by then, so silence this long means a dead connection.
    /// </summary>
    public TimeSpan StallGrace { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>First and longest delay between failed attempts (exponential, with jitter).</summary>
    public TimeSpan BackoffBase { get; init; } = TimeSpan.FromMilliseconds(200);
    public TimeSpan BackoffMax { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How often to look again for a kind the server does not serve (a CRD installed later).</summary>
    public TimeSpan NotServedRetry { get; init; } = TimeSpan.FromMinutes(1);
}

/// <summary>Why a watch ended and the informer opened another.</summary>
public enum WatchRestartReason { Closed, Expired, Error, Stalled }

/// <summary>What an informer reports (metrics live in the host).</summary>
public interface IInformerMetrics
{
    void WatchRestarted(string resource, WatchRestartReason reason);
}

/// <summary>
/// List-then-watch for one kind in one scope, keeping a <see cref="Store{T}"/> current and telling handlers of each
/// change. Watches resume from the last resourceVersion (bookmarks keep it fresh); a 410 Gone relists, and the relist
/// is diffed against the store so deletions missed while disconnected are still delivered. Errors back off
/// exponentially with jitter; a stream silent past its deadline is torn down (the watchdog).
/// </summary>
public sealed class Informer<T> where T : class, IKubernetesObject<V1ObjectMeta>
{
    private readonly IListWatch<T> _source;
    private readonly Store<T> _store;
    private readonly InformerOptions _options;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;
    private readonly IInformerMetrics? _metrics;
    private readonly List<Action<StoreChange, T, T?>> _handlers = [];
    private readonly TaskCompletionSource _synced = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Informer(IListWatch<T> source, Store<T> store, InformerOptions options, TimeProvider clock, ILogger logger,
        IInformerMetrics? metrics = null)
    {
        _source = source;
        _store = store;
        _options = options;
        _clock = clock;
        _logger = logger;
        _metrics = metrics;
    }

    public Store<T> Store => _store;

    public string Description => _source.Description;

    /// <summary>Completes once the first list is in the store.</summary>
    public Task Synced => _synced.Task;

    public bool HasSynced => _synced.Task.IsCompleted;

    /// <summary>Registers a handler; call before <see cref="RunAsync"/>. Handlers run on the informer's loop: keep them quick.</summary>
    public void AddHandler(Action<StoreChange, T, T?> handler) => _handlers.Add(handler);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        string? resourceVersion = null;
        var failures = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                if (resourceVersion is null)
                {
                    resourceVersion = await ListAsync(cancellationToken).ConfigureAwait(false);
                    if (resourceVersion is null)
                    {
                        await Task.Delay(_options.NotServedRetry, _clock, cancellationToken).ConfigureAwait(false);
                        continue;
                    }
                }
                var (reason, lastVersion) = await WatchAsync(resourceVersion, cancellationToken).ConfigureAwait(false);
                resourceVersion = lastVersion;
                _metrics?.WatchRestarted(_source.Description, reason);
                if (reason == WatchRestartReason.Expired)
                {
                    resourceVersion = null;
                    failures = 0;
                }
                else if (reason is WatchRestartReason.Closed or WatchRestartReason.Stalled)
                {
                    // A normal end, or a dead connection already waited out: resume at once.
                    failures = 0;
                }
                else
                {
                    await BackOffAsync(++failures, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Gone)
            {
                _logger.LogInformation("Watch of {Resource} from resourceVersion {Version} expired (410 Gone); relisting",
                    _source.Description, resourceVersion);
                _metrics?.WatchRestarted(_source.Description, WatchRestartReason.Expired);
                resourceVersion = null;
            }
            catch (Exception e)
            {
                _logger.LogWarning("List/watch of {Resource} failed ({Error}); retrying with backoff",
                    _source.Description, Describe(e));
                if (resourceVersion is not null) _metrics?.WatchRestarted(_source.Description, WatchRestartReason.Error);
                try
                {
                    await BackOffAsync(++failures, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>Lists, replaces the store, delivers the differences; null when the server does not serve the kind.</summary>
    private async Task<string?> ListAsync(CancellationToken cancellationToken)
    {
        ListResult<T> list;
        try
        {
            list = await _source.ListAsync(_store.Admit, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            _logger.LogInformation("{Resource} is not served by this API server; treating it as empty", _source.Description);
            Deliver(_store.Replace([], _source.Namespace));
            _synced.TrySetResult();
            return null;
        }
        Deliver(_store.Replace(list.Items, _source.Namespace, admitted: true));
        _synced.TrySetResult();
        return list.ResourceVersion;
    }

    private async Task<(WatchRestartReason, string)> WatchAsync(string resourceVersion, CancellationToken cancellationToken)
    {
        // Ask the server for a slightly varied timeout so many informers do not reconnect in lockstep.
        var timeout = _options.WatchTimeout * (1 + Random.Shared.NextDouble() * 0.1);
        var timeoutSeconds = Math.Max(1, (int)timeout.TotalSeconds);
        var deadline = TimeSpan.FromSeconds(timeoutSeconds) + _options.StallGrace;

        // The watchdog: any event (bookmarks included) pushes the deadline back; silence past it tears the stream
        // down. It covers opening too: KubernetesClient waits for the first line before returning the response.
        using var watchCancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var stalled = false;
        await using var watchdog = _clock.CreateTimer(_ =>
        {
            stalled = true;
            try { watchCancel.Cancel(); } catch (ObjectDisposedException) { }
        }, null, deadline, Timeout.InfiniteTimeSpan);

        WatchStream<T> stream;
        try
        {
            stream = await _source.WatchAsync(resourceVersion, timeoutSeconds, watchCancel.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stalled && !cancellationToken.IsCancellationRequested)
        {
            _logger.LogWarning("Opening the watch of {Resource} was silent past its deadline; reconnecting", _source.Description);
            return (WatchRestartReason.Stalled, resourceVersion);
        }
        using var _ = stream;
        using var closeOnCancel = watchCancel.Token.Register(stream.Dispose);

        try
        {
            await foreach (var (type, obj) in stream.Events.WithCancellation(watchCancel.Token).ConfigureAwait(false))
            {
                watchdog.Change(deadline, Timeout.InfiniteTimeSpan);
                var version = obj?.Metadata?.ResourceVersion;
                if (obj is null) continue;
                switch (type)
                {
                    case WatchEventType.Added:
                    case WatchEventType.Modified:
                        if (_store.Upsert(obj, out var previous) is { } change) Deliver(change, obj, previous);
                        break;
                    case WatchEventType.Deleted:
                        if (_store.Remove(ObjectKey.Of(obj), out var removed)) Deliver(StoreChange.Deleted, removed ?? obj, null);
                        break;
                    case WatchEventType.Bookmark:
                        break;
                }
                if (!string.IsNullOrEmpty(version)) resourceVersion = version;
                if (IsExpired(stream.Errors.Last)) break;
            }
        }
        catch (Exception) when (stalled || cancellationToken.IsCancellationRequested)
        {
            // Disposing the stream made the pending read throw; the reason is known.
        }
        catch (Exception e)
        {
            if (IsExpired(e)) return (WatchRestartReason.Expired, resourceVersion);
            _logger.LogInformation("Watch of {Resource} broke ({Error}); resuming from {Version}",
                _source.Description, Describe(e), resourceVersion);
            return (WatchRestartReason.Error, resourceVersion);
        }
        cancellationToken.ThrowIfCancellationRequested();
        if (stalled)
        {
            _logger.LogWarning("Watch of {Resource} was silent past its deadline; reconnecting", _source.Description);
            return (WatchRestartReason.Stalled, resourceVersion);
        }
        if (IsExpired(stream.Errors.Last))
        {
            _logger.LogInformation("Watch of {Resource} from resourceVersion {Version} expired; relisting",
                _source.Description, resourceVersion);
            return (WatchRestartReason.Expired, resourceVersion);
        }
        if (stream.Errors.Last is { } error)
        {
            _logger.LogInformation("Watch of {Resource} reported an error ({Error}); resuming", _source.Description, Describe(error));
            return (WatchRestartReason.Error, resourceVersion);
        }
        return (WatchRestartReason.Closed, resourceVersion);
    }

    private static bool IsExpired(Exception? e) => e switch
    {
        KubernetesException k => k.Status?.Code == 410,
        HttpOperationException h => h.Response.StatusCode == HttpStatusCode.Gone,
        _ => false,
    };

    private static string Describe(Exception e) => e switch
    {
        HttpOperationException h => $"HTTP {(int)h.Response.StatusCode}",
        KubernetesException k => $"{k.Status?.Code} {k.Status?.Reason}: {k.Status?.Message}",
        _ => $"{e.GetType().Name}: {e.Message}",
    };

    private Task BackOffAsync(int failures, CancellationToken cancellationToken)
    {
        var exponential = _options.BackoffBase.TotalMilliseconds * Math.Pow(2, Math.Min(failures - 1, 20));
        var capped = Math.Min(exponential, _options.BackoffMax.TotalMilliseconds);
        // Jitter: wait between half and all of the delay so a fleet of informers does not retry in step.
        var delay = TimeSpan.FromMilliseconds(capped * (0.5 + Random.Shared.NextDouble() * 0.5));
        return Task.Delay(delay, _clock, cancellationToken);
    }

    private void Deliver(List<(StoreChange Change, T Object, T? Previous)> changes)
    {
        foreach (var (change, obj, previous) in changes) Deliver(change, obj, previous);
    }

    private void Deliver(StoreChange change, T obj, T? previous)
    {
        foreach (var handler in _handlers)
        {
            try
            {
                handler(change, obj, previous);
            }
            catch (Exception e)
            {
                _logger.LogError(e, "An event handler for {Resource} failed", _source.Description);
            }
        }
    }
}
