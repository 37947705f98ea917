using WsPool.Core.Crd;

namespace WsPool.Core.Tests.Crd;

/// <summary>The checked-in CRD is exactly what the C# types generate (`make crds` keeps them in step).</summary>
public class CrdGoldenFileTests
{
    private const string UpdateVariable = "WSPOOL_UPDATE_GOLDEN";

    [Fact]
    public void Checked_in_crd_equals_what_the_types_generate()
    {
        var generated = CrdSchema.Yaml();
        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(RepositoryFiles.CrdPath)!);
            File.WriteAllText(RepositoryFiles.CrdPath, generated);
        }

        File.Exists(RepositoryFiles.CrdPath).Should().BeTrue($"{RepositoryFiles.CrdPath} is checked in; run `make crds`");
        var checkedIn = File.ReadAllText(RepositoryFiles.CrdPath);
        checkedIn.Should().Be(generated,
            $"crds/websocketpools.wspool.dev.yaml is out of date with the API types: run `make crds` (or {UpdateVariable}=1 dotnet test) and commit the result");
    }

    [Fact]
    public void Generation_is_deterministic() => CrdGenerator.ToYaml().Should().Be(CrdSchema.Yaml());

    [Fact]
    public void Output_starts_with_a_generated_file_header_that_names_make_crds()
    {
        var firstLines = CrdSchema.Yaml().Split('\n').TakeWhile(l => l.StartsWith('#')).ToList();
        firstLines.Should().NotBeEmpty();
        string.Join("\n", firstLines).Should().Contain("Generated").And.Contain("make crds");
    }
}
