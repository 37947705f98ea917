using Microsoft.Extensions.Configuration;
using WsPool.Operator.Hosting;

namespace WsPool.Operator.Tests.Hosting;

public sealed class OperatorOptionsTests
{
    private static OperatorOptions Parse(params string[] args) =>
        OperatorOptions.From(new ConfigurationBuilder().AddCommandLine(args).Build());

    [Fact]
    public void Defaults_watch_all_namespaces_with_leader_election_and_client_go_timings()
    {
        var o = Parse();
        o.Namespaces.Should().BeEmpty();
        o.LeaderElection.Should().BeTrue();
        (o.LeaseDuration, o.RenewDeadline, o.RetryPeriod).Should().Be(
            (TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(2)));
    }

    [Fact]
    public void Command_line_options_are_read()
    {
        var o = Parse("--namespaces", "a, b", "--workers", "8", "--resync-period", "1h30m", "--leader-election", "false",
            "--health-port", "0");
        o.Namespaces.Should().Equal("a", "b");
        o.Workers.Should().Be(8);
        o.ResyncPeriod.Should().Be(TimeSpan.FromMinutes(90));
        o.LeaderElection.Should().BeFalse();
        o.HealthPort.Should().Be(0);
    }

    [Fact]
    public void Environment_variables_with_the_WSPOOL_prefix_are_read()
    {
        Environment.SetEnvironmentVariable("WSPOOL_RESYNC_PERIOD", "45s");
        try
        {
            var o = OperatorOptions.From(new ConfigurationBuilder().AddEnvironmentVariables("WSPOOL_").Build());
            o.ResyncPeriod.Should().Be(TimeSpan.FromSeconds(45));
        }
        finally
        {
            Environment.SetEnvironmentVariable("WSPOOL_RESYNC_PERIOD", null);
        }
    }

    [Theory]
    [InlineData("--workers", "0", "--workers")]
    [InlineData("--resync-period", "soon", "--resync-period")]
    [InlineData("--leader-election", "maybe", "--leader-election")]
    public void A_bad_value_is_reported_with_the_option_name(string option, string value, string named)
    {
        var parse = () => Parse(option, value);
        parse.Should().Throw<OptionsException>().WithMessage($"{named}:*");
    }
}
