using WsPool.Testing;

namespace WsPool.Cli.Tests;

/// <summary>The built `wspool` executable, run as a real process (exit codes and streams as a shell sees them).</summary>
public class BinaryTests
{
    private static string Executable => Path.Combine(AppContext.BaseDirectory, OperatingSystem.IsWindows() ? "wspool.exe" : "wspool");

    private static async Task<(int ExitCode, string Output)> RunAsync(params string[] args)
    {
        await using var process = ManagedProcess.Start(Executable, args, workingDirectory: Cli.RepositoryRoot);
        (await process.WaitForExitAsync(TimeSpan.FromSeconds(60))).Should().BeTrue("wspool must finish within a minute");
        return (process.ExitCode, process.Output);
    }

    [Fact]
    public async Task The_binary_validates_a_valid_example_with_exit_0()
    {
        var (code, output) = await RunAsync("validate", "-f", "examples/chat.yaml");

        code.Should().Be(0, output);
        output.Should().Contain("chat/chat: valid");
    }

    [Fact]
    public async Task The_binary_rejects_three_mistakes_with_exit_1()
    {
        var (code, output) = await RunAsync("validate", "-f", "examples/invalid/three-mistakes.yaml");

        code.Should().Be(1);
        output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().HaveCount(3)
            .And.AllSatisfy(l => l.Should().StartWith("default/broken: spec"));
    }

    [Fact]
    public async Task The_binary_reports_usage_errors_with_exit_2()
    {
        var (code, _) = await RunAsync("frobnicate");

        code.Should().Be(2);
    }
}
