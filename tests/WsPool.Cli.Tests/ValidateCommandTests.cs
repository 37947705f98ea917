namespace WsPool.Cli.Tests;

public class ValidateCommandTests
{
    [Theory]
    [MemberData(nameof(Cli.ValidExamples), MemberType = typeof(Cli))]
    public void A_valid_file_exits_0_and_names_its_pools(string example)
    {
        var result = Cli.Run("validate", "-f", Cli.Example(example));

        result.ExitCode.Should().Be(0, result.Error);
        result.Error.Should().BeEmpty();
        result.Out.Should().MatchRegex("^[a-z0-9-]+/[a-z0-9-]+: valid\n$");
    }

    [Fact]
    public void The_cookie_injection_exits_1_with_the_field_path_on_stderr()
    {
        var result = Cli.Run("validate", "-f", Cli.Example("invalid/cookie-injection.yaml"));

        result.ExitCode.Should().Be(1);
        result.Out.Should().BeEmpty();
        result.ErrorLines.Should().ContainSingle().Which.Should().StartWith(
            "default/injected: spec.affinity.cookie.name: must be an RFC 6265 token (letters, digits, '.', '_', '-')");
    }

    [Fact]
    public void Three_mistakes_give_three_lines_in_pool_path_message_form()
    {
        var result = Cli.Run("validate", "-f", Cli.Example("invalid/three-mistakes.yaml"));

        result.ExitCode.Should().Be(1);
        result.ErrorLines.Should().HaveCount(3).And.SatisfyRespectively(
            l => l.Should().StartWith("default/broken: spec: minReplicas must be less than or equal to maxReplicas"),
            l => l.Should().StartWith("default/broken: spec.connections: target must be less than or equal to limit"),
            l => l.Should().StartWith("default/broken: spec.timeouts.tunnel: must be a duration"));
    }

    [Fact]
    public void A_dash_reads_standard_input()
    {
        var yaml = File.ReadAllText(Cli.Example("ticker.yaml"));

        var result = Cli.RunWithInput(yaml, "validate", "-f", "-");

        result.ExitCode.Should().Be(0, result.Error);
        result.Out.Should().Be("markets/ticker: valid\n");
    }

    [Fact]
    public void Unknown_fields_are_all_reported_with_line_and_column()
    {
        var yaml = File.ReadAllText(Cli.Example("chat.yaml"))
            .Replace("  affinity:\n    type: Cookie\n    cookie:", "  affinity:\n    type: Cookie\n    cokie:")
            .Replace("  drain:\n", "  drian:\n");

        var result = Cli.RunWithInput(yaml, "validate", "-f", "-");

        result.ExitCode.Should().Be(1);
        result.ErrorLines.Should().Contain(l => l.StartsWith("chat/chat: spec.affinity.cokie: unknown field (at stdin:"))
            .And.Contain(l => l.StartsWith("chat/chat: spec.drian: unknown field (at stdin:"));
    }

    [Fact]
    public void Malformed_yaml_exits_1_with_its_position()
    {
        var result = Cli.RunWithInput("kind: [WebSocketPool\nmetadata: {}\n", "validate", "-f", "-");

        result.ExitCode.Should().Be(1);
        result.ErrorLines.Should().ContainSingle().Which.Should().MatchRegex(@"^stdin: malformed YAML: .* \(at stdin:\d+:\d+\)$");
    }

    [Fact]
    public void Every_pool_of_a_multi_document_file_is_checked()
    {
        var yaml = string.Join("---\n", File.ReadAllText(Cli.Example("chat.yaml")), File.ReadAllText(Cli.Example("invalid/three-mistakes.yaml")));

        var result = Cli.RunWithInput(yaml, "validate", "-f", "-");

        result.ExitCode.Should().Be(1);
        result.Out.Should().Be("chat/chat: valid\n");
        result.ErrorLines.Should().HaveCount(3).And.AllSatisfy(l => l.Should().StartWith("default/broken: "));
    }

    [Fact]
    public void A_missing_file_is_a_usage_error()
    {
        var result = Cli.Run("validate", "-f", Path.Combine(Path.GetTempPath(), "no-such-wspool-file.yaml"));

        result.ExitCode.Should().Be(2);
        result.Error.Should().StartWith("wspool: cannot read ");
    }

    [Fact]
    public void The_file_option_is_required()
    {
        var result = Cli.Run("validate");

        result.ExitCode.Should().Be(2);
        result.Error.Should().Contain("--file").And.Contain("wspool validate --help");
        result.Out.Should().BeEmpty();
    }
}
