using System.Reflection;
using WsPool.Core.Crd;

namespace WsPool.Cli.Tests;

public class CommandLineTests
{
    [Fact]
    public void Crd_prints_the_generated_CRD_exactly()
    {
        var result = Cli.Run("crd");

        result.ExitCode.Should().Be(0);
        result.Out.Should().Be(CrdGenerator.ToYaml());
        result.Error.Should().BeEmpty();
    }

    [Fact]
    public void Crd_matches_the_checked_in_file() =>
        Cli.Run("crd").Out.Should().Be(File.ReadAllText(Path.Combine(Cli.RepositoryRoot, "crds", "websocketpools.wspool.dev.yaml")));

    [Fact]
    public void Version_prints_the_informational_version_of_wspool()
    {
        var expected = typeof(CliApp).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion;

        var result = Cli.Run("--version");

        result.ExitCode.Should().Be(0);
        result.Out.Should().Be(expected + "\n");
        expected.Should().StartWith("0.1.0");
    }

    [Theory]
    [InlineData("wspool", new[] { "--help" }, "validate")]
    [InlineData("wspool validate", new[] { "validate", "--help" }, "--file")]
    [InlineData("wspool render", new[] { "render", "--help" }, "--resolver")]
    [InlineData("wspool crd", new[] { "crd", "-h" }, "CustomResourceDefinition")]
    [InlineData("wspool rbac", new[] { "rbac", "--help" }, "--helm-rules")]
    public void Help_works_on_every_command(string usage, string[] args, string mentions)
    {
        var result = Cli.Run(args);

        result.ExitCode.Should().Be(0);
        result.Out.Should().Contain("Usage:").And.Contain(usage).And.Contain(mentions);
    }

    [Theory]
    [InlineData("")]
    [InlineData("deploy")]
    [InlineData("validate -f x.yaml --strict")]
    [InlineData("render -f")]
    public void Usage_errors_exit_2_on_stderr(string commandLine)
    {
        var result = Cli.Run(commandLine.Split(' ', StringSplitOptions.RemoveEmptyEntries));

        result.ExitCode.Should().Be(2);
        result.Out.Should().BeEmpty();
        result.Error.Should().StartWith("wspool: ").And.Contain("--help");
    }
}
