using Microsoft.Extensions.Time.Testing;
using WsPool.Operator.Runtime;

namespace WsPool.Operator.Tests.Runtime;

public sealed class RateLimiterTests
{
    [Fact]
    public void Per_key_backoff_doubles_from_5_ms_and_stops_at_1000_s()
    {
        var limiter = new ExponentialFailureRateLimiter<string>(TimeSpan.FromMilliseconds(5), TimeSpan.FromSeconds(1000));
        var delays = Enumerable.Range(0, 4).Select(_ => limiter.When("a")).ToList();
        delays.Should().Equal(TimeSpan.FromMilliseconds(5), TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(20),
            TimeSpan.FromMilliseconds(40));
        for (var i = 0; i < 100; i++) limiter.When("a");
        limiter.When("a").Should().Be(TimeSpan.FromSeconds(1000));
    }

    [Fact]
    public void Per_key_backoff_is_independent_per_key_and_forgotten_on_success()
    {
        var limiter = new ExponentialFailureRateLimiter<string>(TimeSpan.FromMilliseconds(5), TimeSpan.FromSeconds(1000));
        limiter.When("a");
        limiter.When("a");
        limiter.When("b").Should().Be(TimeSpan.FromMilliseconds(5));
        limiter.Forget("a");
        limiter.When("a").Should().Be(TimeSpan.FromMilliseconds(5));
    }

    [Fact]
    public void Token_bucket_lets_a_burst_through_then_spaces_requests_at_the_rate()
    {
        var clock = new FakeTimeProvider();
        var limiter = new TokenBucketRateLimiter<string>(qps: 10, burst: 3, clock);
        limiter.When("x").Should().Be(TimeSpan.Zero);
        limiter.When("y").Should().Be(TimeSpan.Zero);
        limiter.When("z").Should().Be(TimeSpan.Zero);
        limiter.When("x").Should().BeCloseTo(TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(1));
        limiter.When("x").Should().BeCloseTo(TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(1));
    }

    [Fact]
    public void Token_bucket_refills_over_time_up_to_the_burst()
    {
        var clock = new FakeTimeProvider();
        var limiter = new TokenBucketRateLimiter<string>(qps: 10, burst: 2, clock);
        limiter.When("a");
        limiter.When("a");
        clock.Advance(TimeSpan.FromSeconds(60));
        limiter.When("a").Should().Be(TimeSpan.Zero);
        limiter.When("a").Should().Be(TimeSpan.Zero);
        limiter.When("a").Should().BeGreaterThan(TimeSpan.Zero, "a minute refills only the burst, not 600 tokens");
    }

    [Fact]
    public void The_combined_limiter_waits_for_the_longer_of_backoff_and_bucket()
    {
        var clock = new FakeTimeProvider();
        var limiter = new MaxOfRateLimiter<string>(
            new ExponentialFailureRateLimiter<string>(TimeSpan.FromMilliseconds(5), TimeSpan.FromSeconds(1000)),
            new TokenBucketRateLimiter<string>(qps: 1, burst: 1, clock));
        limiter.When("a").Should().Be(TimeSpan.FromMilliseconds(5));
        limiter.When("b").Should().BeCloseTo(TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(1));
        limiter.NumRequeues("a").Should().Be(1);
        limiter.Forget("a");
        limiter.NumRequeues("a").Should().Be(0);
    }
}
