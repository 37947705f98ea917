using System.Text.Json.Nodes;

namespace WsPool.Core.Tests.Crd;

/// <summary>
/// The real kubectl reads crds/ (kustomize runs offline; `kubectl create --dry-run=client` needs an API server for
/// discovery, which this machine has none of). kubectl parses with sigs.k8s.io/yaml (YAML 1.1), so this also proves
/// the file's quoting survives a Go reader.
/// </summary>
public class KubectlTests
{
    [Fact]
    public void Kustomize_builds_crds_into_exactly_the_generated_crd()
    {
        var (exitCode, stdout, stderr) = Kubectl.Run(TimeSpan.FromMinutes(1), "kustomize", Path.Combine(RepositoryFiles.Root, "crds"));
        exitCode.Should().Be(0, stderr);
        var built = YamlToJson.Documents(stdout);
        built.Should().ContainSingle("crds/kustomization.yaml lists the WebSocketPool CRD");
        JsonNode.DeepEquals(built[0], CrdSchema.Crd()).Should().BeTrue("kubectl must read the same CRD the generator wrote");
    }
}
