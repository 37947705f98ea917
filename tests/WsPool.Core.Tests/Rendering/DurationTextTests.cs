using WsPool.Core.Rendering;

namespace WsPool.Core.Tests.Rendering;

public class DurationTextTests
{
    [Theory]
    [InlineData("90s", 90_000)]
    [InlineData("1m30s", 90_000)]
    [InlineData("1h", 3_600_000)]
    [InlineData("2d", 172_800_000)]
    [InlineData("250ms", 250)]
    [InlineData("0s", 0)]
    public void Durations_in_the_api_grammar_parse(string text, long milliseconds)
    {
        DurationText.TryParse(text).Should().Be(TimeSpan.FromMilliseconds(milliseconds));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("5")]
    [InlineData("5 s")]
    [InlineData("-5s")]
    [InlineData("1.5s")]
    [InlineData("5sx")]
    public void Anything_else_is_not_a_duration(string? text)
    {
        DurationText.TryParse(text).Should().BeNull();
    }

    [Fact]
    public void Absurdly_long_durations_saturate_instead_of_overflowing()
    {
        DurationText.TryParse("999999999d999999999d").Should().Be(TimeSpan.MaxValue);
    }

    [Theory]
    [InlineData("1500ms", 2)]
    [InlineData("1s", 1)]
    [InlineData("1ms", 1)]
    [InlineData("0ms", 0)]
    public void Whole_seconds_round_up(string text, long seconds)
    {
        DurationText.CeilingSeconds(text, TimeSpan.Zero).Should().Be(seconds);
    }

    [Fact]
    public void A_malformed_duration_falls_back()
    {
        DurationText.CeilingSeconds("soon", TimeSpan.FromSeconds(60)).Should().Be(60);
    }
}
