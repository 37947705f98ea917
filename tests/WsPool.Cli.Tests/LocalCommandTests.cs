namespace WsPool.Cli.Tests;

/// <summary>`wspool local`'s refusals and its help: what a user sees before anything starts (the loop itself is tested in WsPool.Local.Tests).</summary>
public class LocalCommandTests
{
    [Fact]
    public void Local_offers_up_demo_and_down()
    {
        var result = Cli.Run("local", "--help");

        result.ExitCode.Should().Be(0);
        result.Out.Should().Contain("up").And.Contain("demo").And.Contain("down").And.Contain("not a production control plane");
    }

    [Fact]
    public void A_pool_only_a_cluster_controller_can_serve_is_refused_before_anything_starts()
    {
        using var dir = new TempDirectory();
        var state = Path.Combine(dir.Path, "state");

        var result = Cli.Run("local", "up", "-f", Cli.Example("game-lobby.yaml"), "--state-dir", state);

        result.ExitCode.Should().Be(4);
        result.Error.Should().Contain("spec.balancer.type Gateway").And.Contain("set spec.balancer.type to HAProxy or Nginx");
        Directory.Exists(state).Should().BeFalse("nothing was started, so nothing was written");
    }

    [Fact]
    public void An_invalid_pool_file_fails_as_validate_does()
    {
        var result = Cli.Run("local", "up", "-f", Cli.Example("invalid/three-mistakes.yaml"));

        result.ExitCode.Should().Be(1);
    }

    [Fact]
    public void A_malformed_run_mapping_is_a_usage_error()
    {
        var result = Cli.Run("local", "up", "-f", Cli.Example("chat.yaml"), "--run", "no-equals-sign");

        result.ExitCode.Should().Be(2);
        result.Error.Should().Contain("--run 'no-equals-sign' must be IMAGE=COMMAND");
    }

    [Fact]
    public void A_demo_whose_peak_is_below_its_floor_is_a_usage_error()
    {
        var result = Cli.Run("local", "demo", "-f", Cli.Example("local/chat.yaml"), "--peak", "100", "--floor", "200");

        result.ExitCode.Should().Be(2);
        result.Error.Should().Contain("--peak must be larger than --floor");
    }

    [Fact]
    public void Down_with_no_session_running_says_so_and_succeeds()
    {
        using var dir = new TempDirectory();

        var result = Cli.Run("local", "down", "--state-dir", dir.Path);

        result.ExitCode.Should().Be(0);
        result.Out.Should().Contain("no session is running");
    }
}
