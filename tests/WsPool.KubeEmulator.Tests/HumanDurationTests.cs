using WsPool.KubeEmulator.Tables;

namespace WsPool.KubeEmulator.Tests;

/// <summary>Ages in date cells, written as the API server and kubectl write them.</summary>
public sealed class HumanDurationTests
{
    [Theory]
    [InlineData(-5, "<invalid>")]
    [InlineData(-1, "0s")]
    [InlineData(0, "0s")]
    [InlineData(119, "119s")]
    [InlineData(120, "2m")]
    [InlineData(425, "7m5s")]
    [InlineData(4800, "80m")]
    [InlineData(3 * 3600 + 1800, "3h30m")]
    [InlineData(10 * 3600, "10h")]
    [InlineData(3 * 86400 + 5 * 3600, "3d5h")]
    [InlineData(40 * 86400, "40d")]
    [InlineData(3 * 365 * 86400 + 20 * 86400, "3y20d")]
    [InlineData(9 * 365 * 86400, "9y")]
    public void An_age_is_written_at_the_precision_its_size_calls_for(long seconds, string expected) =>
        HumanDuration.Format(TimeSpan.FromSeconds(seconds)).Should().Be(expected);
}
