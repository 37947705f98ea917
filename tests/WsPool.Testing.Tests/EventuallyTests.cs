namespace WsPool.Testing.Tests;

public sealed class EventuallyTests
{
    private static readonly TimeSpan Short = TimeSpan.FromMilliseconds(300);

    [Fact]
    public async Task Returns_the_first_value_that_satisfies_the_condition()
    {
        var reads = 0;

        var value = await Eventually.ValueAsync(() => ++reads, n => n >= 3, "three reads", interval: TimeSpan.FromMilliseconds(1));

        value.Should().Be(3);
        reads.Should().Be(3, "it stops reading once the condition holds");
    }

    [Fact]
    public async Task A_timeout_names_what_was_awaited_and_the_last_value_seen()
    {
        var reads = 0;

        var wait = () => Eventually.ValueAsync(() => Task.FromResult(++reads), n => n < 0, "a negative count", Short,
            interval: TimeSpan.FromMilliseconds(10));

        var thrown = (await wait.Should().ThrowAsync<TimeoutException>()).Which;
        thrown.Message.Should().Contain("waiting for: a negative count").And.Contain($"last value seen (read {reads} times): {reads}");
    }

    [Fact]
    public async Task A_describe_function_shows_the_last_value_its_own_way()
    {
        var wait = () => Eventually.ValueAsync(() => new List<string> { "a", "b" }, l => l.Count == 3, "three items", Short,
            l => $"{l.Count} items");

        (await wait.Should().ThrowAsync<TimeoutException>()).Which.Message.Should().Contain("waiting for: three items").And.EndWith("): 2 items");
    }

    [Fact]
    public async Task An_exception_from_the_read_ends_the_wait_at_once()
    {
        var started = DateTime.UtcNow;

        Func<int> read = () => throw new InvalidOperationException("the process died");

        var wait = () => Eventually.ValueAsync(read, _ => true, "anything", TimeSpan.FromSeconds(30));

        await wait.Should().ThrowAsync<InvalidOperationException>().WithMessage("the process died");
        (DateTime.UtcNow - started).Should().BeLessThan(TimeSpan.FromSeconds(20), "a crash fails fast, not at the deadline");
    }

    [Fact]
    public async Task TrueAsync_shows_the_state_it_is_given()
    {
        var wait = () => Eventually.TrueAsync(() => false, "leading", Short, state: () => new { Holder = "intruder" });

        (await wait.Should().ThrowAsync<TimeoutException>()).Which.Message.Should().Contain("false; { Holder = intruder }");
    }

    [Fact]
    public void Describe_lists_collections_quotes_strings_and_shows_objects_as_json()
    {
        Eventually.Describe(new[] { 1, 2 }).Should().Be("[1, 2]");
        Eventually.Describe("up").Should().Be("\"up\"");
        Eventually.Describe(null).Should().Be("null");
        Eventually.Describe(new Dictionary<string, double> { ["pod-0"] = 3 }).Should().Be("{\"pod-0\": 3}");
        Eventually.Describe(new Sample("Ready", null)).Should().Be("Sample { Type = Ready, Reason =  }", "records print their members");
        Eventually.Describe(new Plain { Type = "Ready" }).Should().Be("{\"Type\":\"Ready\"}");
        Eventually.Describe(new string('x', 10_000)).Length.Should().BeLessThan(5_000, "a huge value is cut in the middle");
    }

    private sealed record Sample(string Type, string? Reason);

    private sealed class Plain
    {
        public string? Type { get; init; }
        public string? Reason { get; init; }
    }
}
