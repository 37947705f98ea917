using WsPool.Core.Api;

namespace WsPool.Core.Tests.Validation;

public class DurationParserTests
{
    [Theory]
    [InlineData("500ms", 500)]
    [InlineData("5s", 5_000)]
    [InlineData("90s", 90_000)]
    [InlineData("1m30s", 90_000)]
    [InlineData("1h30m", 5_400_000)]
    [InlineData("2d", 172_800_000)]
    [InlineData("0s", 0)]
    [InlineData("1h1m1s1ms", 3_661_001)]
    public void Parses_number_and_unit_pairs(string text, long milliseconds) =>
        DurationParser.Parse(text).Should().Be(TimeSpan.FromMilliseconds(milliseconds));

    [Theory]
    [InlineData("")]
    [InlineData("5")]
    [InlineData("s")]
    [InlineData("5 s")]
    [InlineData("1.5s")]
    [InlineData("-5s")]
    [InlineData("5S")]
    [InlineData("5s\n")]
    [InlineData("5s;")]
    [InlineData("forever")]
    [InlineData("1234567890s")]
    public void Rejects_anything_outside_the_grammar(string text)
    {
        DurationParser.TryParse(text, out _).Should().BeFalse();
        FluentActions.Invoking(() => DurationParser.Parse(text)).Should().Throw<FormatException>();
    }

    [Fact]
    public void Rejects_null() => DurationParser.TryParse(null, out _).Should().BeFalse();

    [Fact]
    public void Reports_overflow_as_a_failure_rather_than_throwing() =>
        DurationParser.TryParse("999999999d999999999d999999999d999999999d", out _).Should().BeFalse();
}
