using WsPool.Core.Intent;
using WsPool.Core.Rendering;
using WsPool.Core.Validation;
using Xunit.Abstractions;

namespace WsPool.Core.Tests.Rendering;

/// <summary>
/// Each example pool renders to exactly the manifests checked in under golden/. A change to rendering shows up
/// as a reviewed diff of those files. Regenerate them on purpose with WSPOOL_UPDATE_GOLDEN=1: the test then
/// writes the files, passes and says which ones it wrote.
/// </summary>
public class GoldenFileTests(ITestOutputHelper output)
{
    public const string UpdateVariable = "WSPOOL_UPDATE_GOLDEN";

    public static TheoryData<string> ExampleNames() => new(Examples.ValidExampleNames());

    [Fact]
    public void There_are_examples_to_compare()
    {
        Examples.ValidExampleNames().Should().Contain(new[] { "chat", "ticker", "game-lobby" });
    }

    [Theory]
    [MemberData(nameof(ExampleNames))]
    public void Every_example_renders_exactly_its_golden_manifests(string example)
    {
        var pool = Examples.Load(example);
        PoolValidator.Validate(pool).Should().BeEmpty("the renderer is only ever given valid pools");
        var actual = ManifestWriter.ToYaml(PoolIntent.For(pool, new RenderOptions()).Objects);
        var goldenPath = Path.Combine(Examples.GoldenDirectory, example + ".yaml");

        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            Directory.CreateDirectory(Examples.GoldenDirectory);
            File.WriteAllText(goldenPath, actual);
            output.WriteLine($"updated {goldenPath}");
            return;
        }

        File.Exists(goldenPath).Should().BeTrue($"{goldenPath} should exist; create it with {UpdateVariable}=1 dotnet test");
        actual.Should().Be(File.ReadAllText(goldenPath),
            $"rendering {example}.yaml changed; if that is intended, regenerate with {UpdateVariable}=1 and review the diff");
    }

    [Theory]
    [MemberData(nameof(ExampleNames))]
    public void Rendering_an_example_twice_gives_the_same_bytes(string example)
    {
        var first = ManifestWriter.ToYaml(PoolIntent.For(Examples.Load(example), new RenderOptions()).Objects);
        var second = ManifestWriter.ToYaml(PoolIntent.For(Examples.Load(example), new RenderOptions()).Objects);

        second.Should().Be(first);
    }
}
