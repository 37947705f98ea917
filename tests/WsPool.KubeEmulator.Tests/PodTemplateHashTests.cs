using System.Text.Json.Nodes;
using WsPool.KubeEmulator.Controllers;

namespace WsPool.KubeEmulator.Tests;

/// <summary>The pod-template-hash: one name per template, whatever the order of its fields.</summary>
public sealed class PodTemplateHashTests
{
    private static JsonNode Template(string image) =>
        JsonNode.Parse($$$"""{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"main","image":"{{{image}}}"}]}}""")!;

    [Fact]
    public void The_same_template_gets_the_same_hash_whatever_its_field_order()
    {
        var reordered = JsonNode.Parse("""{"spec":{"containers":[{"image":"chat:1","name":"main"}]},"metadata":{"labels":{"app":"web"}}}""");

        PodTemplateHash.Compute(reordered).Should().Be(PodTemplateHash.Compute(Template("chat:1")));
    }

    [Fact]
    public void Another_template_or_collision_count_gets_another_hash()
    {
        var hashes = new[] { PodTemplateHash.Compute(Template("chat:1")), PodTemplateHash.Compute(Template("chat:2")), PodTemplateHash.Compute(Template("chat:1"), 1) };

        hashes.Should().OnlyHaveUniqueItems().And.OnlyContain(h => h.All(c => "bcdfghjklmnpqrstvwxz2456789".Contains(c)));
    }

    [Fact]
    public void A_replicaset_template_is_the_deployments_apart_from_the_hash_label()
    {
        var labelled = PodTemplateHash.Labelled(Template("chat:1"), "abc");

        PodTemplateHash.SameTemplate(Template("chat:1"), labelled).Should().BeTrue();
        PodTemplateHash.SameTemplate(Template("chat:2"), labelled).Should().BeFalse();
    }
}
