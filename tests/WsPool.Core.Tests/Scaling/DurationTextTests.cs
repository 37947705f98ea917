using WsPool.Core.Scaling;

namespace WsPool.Core.Tests.Scaling;

public sealed class DurationTextTests
{
    [Theory]
    [InlineData("500ms", 0.5)]
    [InlineData("15s", 15)]
    [InlineData("1m30s", 90)]
    [InlineData("1h", 3600)]
    [InlineData("1d", 86400)]
    public void Reads_number_unit_pairs(string text, double seconds) =>
        DurationText.Parse(text, "f").TotalSeconds.Should().Be(seconds);

    [Theory]
    [InlineData("")]
    [InlineData("15")]
    [InlineData("1.5s")]
    [InlineData("-3s")]
    public void Rejects_anything_else_naming_the_field(string text) =>
        FluentActions.Invoking(() => DurationText.Parse(text, "spec.scaling.period"))
            .Should().Throw<FormatException>().WithMessage("spec.scaling.period: *");
}
