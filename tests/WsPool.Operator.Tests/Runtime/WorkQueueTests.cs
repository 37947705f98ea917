using Microsoft.Extensions.Time.Testing;
using WsPool.Operator.Runtime;
using WsPool.Testing;

namespace WsPool.Operator.Tests.Runtime;

public sealed class WorkQueueTests
{
    private readonly FakeTimeProvider _clock = new();
    private static readonly ObjectKey A = new("ns", "a");
    private static readonly ObjectKey B = new("ns", "b");

    private WorkQueue<ObjectKey> NewQueue() => new(
        new ExponentialFailureRateLimiter<ObjectKey>(TimeSpan.FromMilliseconds(5), TimeSpan.FromSeconds(1000)), _clock);

    private static async Task<ObjectKey> NextAsync(WorkQueue<ObjectKey> queue)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        var (ok, item) = await queue.GetAsync(timeout.Token);
        ok.Should().BeTrue();
        return item;
    }

    [Fact]
    public void A_key_added_many_times_is_queued_once()
    {
        using var queue = NewQueue();
        queue.Add(A);
        queue.Add(A);
        queue.Add(B);
        queue.Add(A);
        queue.Count.Should().Be(2);
    }

    [Fact]
    public async Task Keys_come_out_in_the_order_they_were_first_added()
    {
        using var queue = NewQueue();
        queue.Add(B);
        queue.Add(A);
        queue.Add(B);
        (await NextAsync(queue)).Should().Be(B);
        (await NextAsync(queue)).Should().Be(A);
    }

    [Fact]
    public async Task A_key_being_processed_is_not_handed_to_a_second_worker_until_done()
    {
        using var queue = NewQueue();
        queue.Add(A);
        (await NextAsync(queue)).Should().Be(A);

        queue.Add(A); // an event arrives while a worker reconciles A
        queue.Count.Should().Be(0, "A is processing; the add is remembered, not queued");

        queue.Done(A);
        queue.Count.Should().Be(1);
        (await NextAsync(queue)).Should().Be(A);
    }

    [Fact]
    public async Task Done_without_a_new_add_does_not_requeue()
    {
        using var queue = NewQueue();
        queue.Add(A);
        await NextAsync(queue);
        queue.Done(A);
        queue.Count.Should().Be(0);
    }

    [Fact]
    public void AddAfter_delivers_the_key_only_once_the_delay_has_passed()
    {
        using var queue = NewQueue();
        queue.AddAfter(A, TimeSpan.FromSeconds(10));
        queue.Count.Should().Be(0);
        _clock.Advance(TimeSpan.FromSeconds(9));
        queue.Count.Should().Be(0);
        _clock.Advance(TimeSpan.FromSeconds(1));
        queue.Count.Should().Be(1);
        queue.DelayedCount.Should().Be(0);
    }

    [Fact]
    public void AddAfter_keeps_the_earliest_deadline_of_a_key()
    {
        using var queue = NewQueue();
        queue.AddAfter(A, TimeSpan.FromSeconds(30));
        queue.AddAfter(A, TimeSpan.FromSeconds(5));
        queue.AddAfter(A, TimeSpan.FromSeconds(60));
        _clock.Advance(TimeSpan.FromSeconds(5));
        queue.Count.Should().Be(1);
        queue.DelayedCount.Should().Be(0);
    }

    [Fact]
    public void AddRateLimited_backs_off_exponentially_per_key_and_Forget_resets_it()
    {
        using var queue = NewQueue();
        queue.AddRateLimited(A); // 5 ms
        _clock.Advance(TimeSpan.FromMilliseconds(5));
        queue.Count.Should().Be(1);

        queue.AddRateLimited(B); // B's own first failure: 5 ms, not affected by A
        queue.AddRateLimited(A); // A is queued already; the limiter still counts the failure (10 ms)
        queue.NumRequeues(A).Should().Be(2);
        queue.NumRequeues(B).Should().Be(1);

        queue.Forget(A);
        queue.NumRequeues(A).Should().Be(0);
    }

    [Fact]
    public async Task Shutting_down_releases_a_waiting_worker()
    {
        using var queue = NewQueue();
        var waiting = queue.GetAsync(CancellationToken.None).AsTask();
        waiting.IsCompleted.Should().BeFalse();
        queue.ShutDown();
        var (ok, _) = await waiting.WaitAsync(TimeSpan.FromSeconds(5));
        ok.Should().BeFalse();
    }

    [Fact]
    public async Task Concurrent_workers_never_hold_the_same_key_at_once()
    {
        using var queue = NewQueue();
        var holding = new System.Collections.Concurrent.ConcurrentDictionary<ObjectKey, int>();
        var overlaps = 0;
        var processed = 0;
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var workers = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            while (true)
            {
                var (ok, key) = await queue.GetAsync(stop.Token);
                if (!ok) return;
                if (holding.AddOrUpdate(key, 1, (_, n) => n + 1) > 1) Interlocked.Increment(ref overlaps);
                await Task.Yield();
                holding.AddOrUpdate(key, 0, (_, n) => n - 1);
                Interlocked.Increment(ref processed);
                queue.Done(key);
            }
        })).ToArray();
        for (var i = 0; i < 2000; i++) queue.Add(i % 2 == 0 ? A : B);
        await Eventually.ValueAsync(() => queue.Count, n => n == 0, "the workers to take every queued key", TimeSpan.FromSeconds(20));
        // Workers still holding a key finish it before they see the shutdown: WhenAll waits for them, no pause needed.
        queue.ShutDown();
        await Task.WhenAll(workers);
        overlaps.Should().Be(0);
        processed.Should().BeGreaterThan(0);
    }
}
