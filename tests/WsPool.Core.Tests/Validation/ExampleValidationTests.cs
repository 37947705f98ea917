using WsPool.Core.Loading;

namespace WsPool.Core.Tests.Validation;

/// <summary>The acceptance checks, on the checked-in example files.</summary>
public class ExampleValidationTests
{
    private static PoolFile CheckExample(string relativePath) =>
        PoolFileChecker.Check(File.ReadAllText(TestPools.Example(relativePath)), relativePath);

    [Theory]
    [MemberData(nameof(TestPools.ValidExamples), MemberType = typeof(TestPools))]
    public void Every_valid_example_validates(string file)
    {
        var result = CheckExample(file);

        result.Problems.Should().BeEmpty();
        result.Pools.Should().NotBeEmpty();
    }

    [Fact]
    public void The_cookie_injection_is_rejected_at_the_cookie_name()
    {
        var result = CheckExample("invalid/cookie-injection.yaml");

        result.IsValid.Should().BeFalse();
        result.Problems.Select(p => p.ToString()).Should().ContainSingle().Which.Should().StartWith(
            "default/injected: spec.affinity.cookie.name: must be an RFC 6265 token (letters, digits, '.', '_', '-')");
        result.Problems[0].Location.Should().Be(new SourceLocation("invalid/cookie-injection.yaml", 18, 13));
    }

    [Fact]
    public void All_three_mistakes_are_reported_at_once()
    {
        var result = CheckExample("invalid/three-mistakes.yaml");

        result.Problems.Select(p => (p.Pool, p.Path)).Should().Equal(
            ("default/broken", "spec"),
            ("default/broken", "spec.connections"),
            ("default/broken", "spec.timeouts.tunnel"));
        result.Problems[0].Message.Should().Contain("minReplicas must be less than or equal to maxReplicas");
        result.Problems[1].Message.Should().Contain("target must be less than or equal to limit");
        result.Problems[2].Message.Should().Contain("must be a duration");
    }
}
