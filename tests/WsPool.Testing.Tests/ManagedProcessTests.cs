namespace WsPool.Testing.Tests;

public sealed class ManagedProcessTests
{
    [Fact]
    public async Task After_the_exit_the_output_is_complete()
    {
        // Many lines, so the readers are still busy when the process has already exited.
        await using var process = ManagedProcess.Start("/bin/sh", ["-c", "i=0; while [ $i -lt 5000 ]; do i=$((i+1)); echo line$i; done; echo done >&2"]);

        (await process.WaitForExitAsync(TimeSpan.FromSeconds(30))).Should().BeTrue();

        var lines = process.Output.Split(Environment.NewLine);
        lines.Should().Contain("line5000").And.Contain("done");
        lines.Should().HaveCount(5001);
    }

    [Fact]
    public async Task A_port_wait_fails_fast_with_the_output_when_the_process_exits()
    {
        await using var process = ManagedProcess.Start("/bin/sh", ["-c", "echo cannot bind; exit 3"]);

        var wait = () => process.WaitForPortAsync("127.0.0.1", FreePort.Next(), TimeSpan.FromSeconds(30));

        (await wait.Should().ThrowAsync<InvalidOperationException>()).Which.Message.Should().Contain("exited with 3").And.Contain("cannot bind");
    }

    [Fact]
    public async Task A_port_wait_that_times_out_shows_the_last_connect_error()
    {
        await using var process = ManagedProcess.Start("/bin/sh", ["-c", "sleep 30"]);

        var wait = () => process.WaitForPortAsync("127.0.0.1", FreePort.Next(), TimeSpan.FromSeconds(2));

        // Nothing listens, so each connect is refused; on a loaded machine an attempt can instead outlast its own
        // timeout. Either way the message carries the last error seen.
        var message = (await wait.Should().ThrowAsync<TimeoutException>()).Which.Message;
        message.Should().Contain("a listener on 127.0.0.1:");
        message[message.IndexOf("last value seen", StringComparison.Ordinal)..].Should().MatchRegex("refused|connect timed out");
    }
}
