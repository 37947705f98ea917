using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using WsPool.Operator.Runtime;
using WsPool.Testing;

namespace WsPool.Operator.Tests.Runtime;

public sealed class InformerTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new();
    private readonly ScriptedListWatch _server = new();
    private readonly Store<V1ConfigMap> _store = new();
    private readonly List<(StoreChange Change, string Name)> _heard = [];
    private readonly RecordingMetrics _metrics = new();
    private readonly CancellationTokenSource _stop = new();
    private Informer<V1ConfigMap> _informer = null!;
    private Task _running = Task.CompletedTask;

    private static readonly InformerOptions Options = new()
    {
        WatchTimeout = TimeSpan.FromSeconds(60),
        StallGrace = TimeSpan.FromSeconds(30),
        BackoffBase = TimeSpan.FromSeconds(1),
        BackoffMax = TimeSpan.FromSeconds(4),
    };

    public Task InitializeAsync()
    {
        _informer = new Informer<V1ConfigMap>(_server, _store, Options, _clock, NullLogger.Instance, _metrics);
        _informer.AddHandler((change, obj, _) =>
        {
            lock (_heard) _heard.Add((change, obj.Metadata.Name));
        });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        await _running.WaitAsync(TimeSpan.FromSeconds(5));
        _stop.Dispose();
    }

    private void Start() => _running = Task.Run(() => _informer.RunAsync(_stop.Token));

    private List<(StoreChange, string)> Heard()
    {
        lock (_heard) return _heard.ToList();
    }

    private async Task StartWatching()
    {
        Start();
        await _informer.Synced.WaitAsync(TimeSpan.FromSeconds(10));
        await Eventually.TrueAsync(() => _server.Watching, "the informer watching");
    }

    [Fact]
    public async Task The_first_list_fills_the_cache_and_marks_it_synced()
    {
        _server.Put("a", tell: false);
        _server.Put("b", tell: false);
        await StartWatching();
        _store.Count.Should().Be(2);
        _informer.HasSynced.Should().BeTrue();
        Heard().Should().BeEquivalentTo(new[] { (StoreChange.Added, "a"), (StoreChange.Added, "b") });
    }

    [Fact]
    public async Task Watch_events_reach_the_cache_and_the_handlers()
    {
        await StartWatching();
        _server.Put("a");
        _server.Put("a");
        _server.Remove("a");
        var heard = await Eventually.ValueAsync(Heard, h => h.Count == 3, "three changes heard");
        heard.Should().Equal((StoreChange.Added, "a"), (StoreChange.Updated, "a"), (StoreChange.Deleted, "a"));
        _store.Count.Should().Be(0);
    }

    [Fact]
    public async Task A_closed_watch_resumes_from_the_last_resourceVersion_without_relisting()
    {
        await StartWatching();
        var last = _server.Put("a");
        await Eventually.ValueAsync(() => _store.Count, n => n == 1, "the object in the cache");
        _server.CloseWatch();
        var watchedFrom = await Eventually.ValueAsync(() => _server.WatchedFrom.ToList(), w => w.Count == 2, "a second watch");
        watchedFrom.Last().Should().Be(last.Metadata.ResourceVersion);
        _server.Lists.Should().Be(1);
        _metrics.Restarts.Should().Contain(WatchRestartReason.Closed);
    }

    [Fact]
    public async Task Bookmarks_advance_the_resume_point_without_telling_handlers()
    {
        await StartWatching();
        _server.Bookmark();
        var bookmarkVersion = _server.Version;
        // No pause needed before the close: a completed channel still hands its buffered bookmark to the informer first.
        _server.CloseWatch();
        var watchedFrom = await Eventually.ValueAsync(() => _server.WatchedFrom.ToList(), w => w.Count == 2, "a second watch");
        watchedFrom.Last().Should().Be(bookmarkVersion);
        Heard().Should().BeEmpty();
    }

    [Fact]
    public async Task An_expired_watch_relists_and_delivers_deletions_it_missed()
    {
        _server.Put("stays", tell: false);
        _server.Put("goes", tell: false);
        await StartWatching();

        // While the watch is being expired, one object is deleted and one created: no events for either.
        _server.Remove("goes", tell: false);
        _server.Put("arrives", tell: false);
        _server.ExpireWatch();

        var (_, heard) = await Eventually.ValueAsync(() => (Lists: _server.Lists, Heard: Heard()), v => v.Lists == 2 && v.Heard.Count == 4,
            "a relist and four changes heard");
        heard.Skip(2).Should().BeEquivalentTo(new[] { (StoreChange.Added, "arrives"), (StoreChange.Deleted, "goes") });
        _store.Keys().Select(k => k.Name).Should().BeEquivalentTo("stays", "arrives");
        _metrics.Restarts.Should().Contain(WatchRestartReason.Expired);
    }

    [Fact]
    public async Task A_silent_watch_is_torn_down_by_the_watchdog_and_reopened()
    {
        await StartWatching();
        // The server was asked to end the watch after at most ~66 s; nothing arrives for far longer than that.
        _clock.Advance(TimeSpan.FromSeconds(100));
        await Eventually.ValueAsync(() => _server.WatchedFrom.Count, n => n == 2, "a second watch");
        _metrics.Restarts.Should().Contain(WatchRestartReason.Stalled);
        _server.Lists.Should().Be(1, "a stall resumes from the last resourceVersion");
    }

    [Fact]
    public async Task Events_keep_the_watchdog_from_firing()
    {
        await StartWatching();
        for (var i = 1; i <= 5; i++)
        {
            _clock.Advance(TimeSpan.FromSeconds(60));
            _server.Put("a");
            var expected = i;
            await Eventually.ValueAsync(Heard, h => h.Count == expected, $"{expected} changes heard");
        }
        _server.WatchedFrom.Should().HaveCount(1);
        _metrics.Restarts.Should().BeEmpty();
    }

    [Fact]
    public async Task A_failing_watch_is_retried_after_a_backoff()
    {
        _server.FailNextWatches.Enqueue(new HttpRequestException("connection refused"));
        Start();
        await _informer.Synced.WaitAsync(TimeSpan.FromSeconds(10));
        await Eventually.ValueAsync(() => _server.WatchedFrom.Count, n => n >= 1, "the first watch attempt");
        _server.Watching.Should().BeFalse("the first attempt failed and the retry waits for its backoff");
        // The backoff runs on the fake clock: each read that finds no watch yet moves it on by 500 ms.
        await Eventually.TrueAsync(() =>
        {
            var watching = _server.Watching;
            if (!watching) _clock.Advance(TimeSpan.FromMilliseconds(500));
            return watching;
        }, "the watch retried after its backoff");
        _server.WatchedFrom.Should().HaveCount(2);
    }

    private sealed class RecordingMetrics : IInformerMetrics
    {
        private readonly List<WatchRestartReason> _restarts = [];

        public List<WatchRestartReason> Restarts
        {
            get { lock (_restarts) return _restarts.ToList(); }
        }

        public void WatchRestarted(string resource, WatchRestartReason reason)
        {
            lock (_restarts) _restarts.Add(reason);
        }
    }
}
