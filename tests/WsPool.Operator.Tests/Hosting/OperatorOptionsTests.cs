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
    public void The_balancer_resolver_is_read_and_written_as_host_and_port()
    {
        Parse().BalancerResolver.Should().BeNull("in a cluster HAProxy reads its pod's resolv.conf");
        Parse("--balancer-resolver", "127.0.0.1:5353").BalancerResolver.Should().Be("127.0.0.1:5353");
    }

    [Fact]
    public void A_balancer_resolver_without_a_port_is_refused_with_the_option_named()
    {
        var act = () => Parse("--balancer-resolver", "127.0.0.1");

        act.Should().Throw<OptionsException>().WithMessage("--balancer-resolver: '127.0.0.1'*");
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

    [Fact]
    public void Scaling_request_options_are_read_from_the_command_line()
    {
        var o = Parse("--scaling-request-timeout", "750ms", "--scaling-max-in-flight", "8", "--shed-timeout", "12s");
        o.Scaling.RequestTimeout.Should().Be(TimeSpan.FromMilliseconds(750));
        o.Scaling.MaxInFlight.Should().Be(8);
        o.Scaling.ShedTimeout.Should().Be(TimeSpan.FromSeconds(12));
    }

    [Fact]
    public void Scaling_request_options_default_to_one_second_scrapes_32_in_flight_and_five_second_sheds()
    {
        var o = Parse();
        (o.Scaling.RequestTimeout, o.Scaling.MaxInFlight, o.Scaling.ShedTimeout).Should().Be(
            (TimeSpan.FromSeconds(1), 32, TimeSpan.FromSeconds(5)));
        o.Scaling.BalancerStatsPort.Should().Be(WsPool.Core.Balancers.BalancerPorts.Observability,
            "the scraper reads the stats port of the HAProxy config wspool renders");
        o.Scaling.BalancerStatsPath.Should().StartWith(WsPool.Core.Balancers.HAProxyConfigBuilder.StatsUri + ";csv");
    }

    [Fact]
    public void Scaling_request_options_are_read_from_WSPOOL_environment_variables()
    {
        Environment.SetEnvironmentVariable("WSPOOL_SCALING_MAX_IN_FLIGHT", "5");
        Environment.SetEnvironmentVariable("WSPOOL_SHED_TIMEOUT", "9s");
        try
        {
            var o = OperatorOptions.From(new ConfigurationBuilder().AddEnvironmentVariables("WSPOOL_").Build());
            o.Scaling.MaxInFlight.Should().Be(5);
            o.Scaling.ShedTimeout.Should().Be(TimeSpan.FromSeconds(9));
        }
        finally
        {
            Environment.SetEnvironmentVariable("WSPOOL_SCALING_MAX_IN_FLIGHT", null);
            Environment.SetEnvironmentVariable("WSPOOL_SHED_TIMEOUT", null);
        }
    }

    /// <summary>Every option the help text lists, with a value of its kind: each must change what is parsed.</summary>
    public static TheoryData<string, string> HelpOptions()
    {
        var samples = new Dictionary<string, string>
        {
            ["a,b"] = "x,y", ["N"] = "3", ["D"] = "7s", ["IP"] = "127.0.0.9", ["true|false"] = "false",
            ["NAME"] = "other", ["NS"] = "other", ["FILE"] = "/tmp/other-kubeconfig", ["HOST:PORT"] = "127.0.0.1:5353",
        };
        var data = new TheoryData<string, string>();
        foreach (var line in OperatorOptions.Help.Split('\n'))
        {
            var m = System.Text.RegularExpressions.Regex.Match(line, @"^\s+--([a-z-]+) (\S+)\s+WSPOOL_");
            if (m.Success) data.Add(m.Groups[1].Value, samples[m.Groups[2].Value]);
        }
        return data;
    }

    [Fact]
    public void The_help_text_lists_the_scaling_options_with_their_environment_variables()
    {
        HelpOptions().Select(row => (string)row[0]).Should().Contain(["scaling-request-timeout", "scaling-max-in-flight", "shed-timeout"]);
        OperatorOptions.Help.Should().Contain("WSPOOL_SCALING_REQUEST_TIMEOUT").And.Contain("WSPOOL_SCALING_MAX_IN_FLIGHT")
            .And.Contain("WSPOOL_SHED_TIMEOUT").And.Contain("spec.scaling.rebalance.adminPort");
    }

    [Theory]
    [MemberData(nameof(HelpOptions))]
    public void Every_option_in_the_help_text_is_read(string option, string value)
    {
        static string Snapshot(OperatorOptions o) => System.Text.Json.JsonSerializer.Serialize(o with { Identity = "" });

        Snapshot(Parse($"--{option}", value)).Should().NotBe(Snapshot(Parse()), $"--{option} {value} must change the options");
    }

    [Theory]
    [InlineData("--scaling-request-timeout", "0s", "--scaling-request-timeout")]
    [InlineData("--scaling-request-timeout", "fast", "--scaling-request-timeout")]
    [InlineData("--scaling-max-in-flight", "0", "--scaling-max-in-flight")]
    [InlineData("--shed-timeout", "0ms", "--shed-timeout")]
    [InlineData("--workers", "0", "--workers")]
    [InlineData("--resync-period", "soon", "--resync-period")]
    [InlineData("--leader-election", "maybe", "--leader-election")]
    public void A_bad_value_is_reported_with_the_option_name(string option, string value, string named)
    {
        var parse = () => Parse(option, value);
        parse.Should().Throw<OptionsException>().WithMessage($"{named}:*");
    }
}
