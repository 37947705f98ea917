using WsPool.Core.Intent;
using WsPool.Core.Loading;
using WsPool.Core.Rendering;
using YamlDotNet.RepresentationModel;

namespace WsPool.Cli.Tests;

public class RenderCommandTests
{
    private static List<YamlMappingNode> Documents(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return stream.Documents.Select(d => (YamlMappingNode)d.RootNode).ToList();
    }

    private static string Scalar(YamlMappingNode node, params string[] path)
    {
        YamlNode current = node;
        foreach (var key in path) current = ((YamlMappingNode)current).Children[new YamlScalarNode(key)];
        return ((YamlScalarNode)current).Value!;
    }

    [Theory]
    [MemberData(nameof(Cli.ValidExamples), MemberType = typeof(Cli))]
    public void Every_example_renders_objects_ready_for_kubectl_apply(string example)
    {
        var pool = PoolLoader.Load(File.ReadAllText(Cli.Example(example)), example).Pools.Single().Pool;

        var result = Cli.Run("render", "-f", Cli.Example(example));

        result.ExitCode.Should().Be(0, result.Error);
        result.Error.Should().BeEmpty();
        var documents = Documents(result.Out);
        documents.Should().NotBeEmpty();
        documents.Should().AllSatisfy(d =>
        {
            Scalar(d, "apiVersion").Should().NotBeEmpty();
            Scalar(d, "kind").Should().NotBeEmpty();
            Scalar(d, "metadata", "namespace").Should().Be(pool.Metadata.NamespaceProperty);
            Scalar(d, "metadata", "labels", PoolLabels.Instance).Should().Be(pool.Metadata.Name);
            Scalar(d, "metadata", "labels", PoolLabels.Name).Should().Be(PoolLabels.NameValue);
            Scalar(d, "metadata", "labels", PoolLabels.ManagedBy).Should().Be(PoolLabels.ManagedByValue);
            Scalar(d, "metadata", "labels", PoolLabels.Component).Should().NotBeEmpty();
        });
        documents.Should().Contain(d => Scalar(d, "kind") == "Deployment" && Scalar(d, "metadata", "name") == pool.Metadata.Name);
    }

    [Fact]
    public void Output_is_deterministic()
    {
        var first = Cli.Run("render", "-f", Cli.Example("chat.yaml"));
        var second = Cli.Run("render", "-f", Cli.Example("chat.yaml"));

        first.ExitCode.Should().Be(0);
        second.Out.Should().Be(first.Out);
    }

    [Fact]
    public void Every_pool_of_a_file_is_rendered()
    {
        var yaml = File.ReadAllText(Cli.Example("chat.yaml")) + "---\n" + File.ReadAllText(Cli.Example("ticker.yaml"));

        var result = Cli.RunWithInput(yaml, "render", "-f", "-");

        result.ExitCode.Should().Be(0, result.Error);
        var deployments = Documents(result.Out).Where(d => Scalar(d, "kind") == "Deployment").Select(d => Scalar(d, "metadata", "name"));
        deployments.Should().Contain(["chat", "ticker"]);
    }

    [Fact]
    public void With_an_output_directory_it_writes_manifests_and_config_files_per_pool()
    {
        using var dir = new TempDirectory();
        var yaml = File.ReadAllText(Cli.Example("chat.yaml")) + "---\n" + File.ReadAllText(Cli.Example("ticker.yaml"));

        var result = Cli.RunWithInput(yaml, "render", "-f", "-", "-o", dir.Path);

        result.ExitCode.Should().Be(0, result.Error);
        foreach (var example in new[] { "chat.yaml", "ticker.yaml" })
        {
            var loaded = PoolLoader.Load(File.ReadAllText(Cli.Example(example)), example).Pools.Single().Pool;
            var poolDir = Path.Combine(dir.Path, loaded.Metadata.Name);
            File.ReadAllText(Path.Combine(poolDir, "manifests.yaml")).Should().Be(Cli.Run("render", "-f", Cli.Example(example)).Out);
            var rendered = PoolIntent.For(loaded, new RenderOptions());
            Directory.GetFiles(poolDir).Select(Path.GetFileName).Should().BeEquivalentTo(rendered.ConfigFiles.Keys.Append("manifests.yaml"));
            foreach (var (name, text) in rendered.ConfigFiles) File.ReadAllText(Path.Combine(poolDir, name)).Should().Be(text);
        }
        result.Out.Should().Contain(Path.Combine(dir.Path, "chat", "manifests.yaml"));
    }

    [Fact]
    public void Invalid_input_fails_exactly_as_validate_does_and_writes_nothing()
    {
        using var dir = new TempDirectory();
        var output = Path.Combine(dir.Path, "out");
        var yaml = File.ReadAllText(Cli.Example("chat.yaml")) + "---\n" + File.ReadAllText(Cli.Example("invalid/three-mistakes.yaml"));

        var render = Cli.RunWithInput(yaml, "render", "-f", "-", "-o", output);
        var validate = Cli.RunWithInput(yaml, "validate", "-f", "-");

        render.ExitCode.Should().Be(1);
        render.Error.Should().Be(validate.Error).And.NotBeEmpty();
        render.Out.Should().BeEmpty();
        Directory.Exists(output).Should().BeFalse();
    }

    [Theory]
    [InlineData("--resolver", "127.0.0.1")]
    [InlineData("--resolver", "127.0.0.1:53;")]
    [InlineData("--backends", "127.0.0.2:8080,evil host:80")]
    public void Malformed_addresses_are_usage_errors(string option, string value)
    {
        var result = Cli.Run("render", "-f", Cli.Example("ticker.yaml"), option, value);

        result.ExitCode.Should().Be(2);
        result.Out.Should().BeEmpty();
        result.Error.Should().Contain(option);
    }

    [Fact]
    public void Resolver_and_backends_reach_the_renderer()
    {
        var pool = PoolLoader.Load(File.ReadAllText(Cli.Example("ticker.yaml")), "ticker.yaml").Pools.Single().Pool;
        var options = new RenderOptions { ResolverAddress = "127.0.0.1:5353", Backends = ["127.0.0.2:9000", "127.0.0.3:9000"] };
        var expected = ManifestWriter.ToYaml(PoolIntent.For(pool, options).Objects);

        var result = Cli.Run("render", "-f", Cli.Example("ticker.yaml"), "--resolver", "127.0.0.1:5353", "--backends", "127.0.0.2:9000, 127.0.0.3:9000");

        result.ExitCode.Should().Be(0, result.Error);
        result.Out.Should().Be(expected.EndsWith('\n') ? expected : expected + "\n");
    }
}
