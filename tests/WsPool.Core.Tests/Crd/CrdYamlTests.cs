using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using WsPool.Core.Crd;

namespace WsPool.Core.Tests.Crd;

/// <summary>The YAML form reads back as exactly the generated CRD, in KubernetesClient and in a YAML 1.2 reader.</summary>
public class CrdYamlTests
{
    [Fact]
    public void Yaml_reads_back_into_the_generated_crd_with_the_kubernetes_client()
    {
        var parsed = KubernetesYaml.Deserialize<V1CustomResourceDefinition>(CrdSchema.Yaml(), strict: true);
        JsonNode.DeepEquals(JsonNode.Parse(KubernetesJson.Serialize(parsed)), CrdSchema.Crd()).Should().BeTrue();
    }

    [Fact]
    public void Yaml_reads_back_into_the_generated_crd_with_typed_scalars()
    {
        // A schema-less reader: numbers, booleans and strings must come back as such (8080 a number, "True" a string).
        JsonNode.DeepEquals(YamlToJson.Single(CrdSchema.Yaml()), CrdSchema.Crd()).Should().BeTrue();
    }

    [Fact]
    public void Empty_object_defaults_and_int_or_string_are_written_as_yaml_users_expect()
    {
        var yaml = CrdSchema.Yaml();
        yaml.Should().Contain("default: {}");
        yaml.Should().Contain("x-kubernetes-int-or-string: true");
        yaml.Should().Contain("default: 8080\n");
        yaml.Should().Contain("status: {}");
        yaml.Should().NotContain(".0\n", "integral minimum/maximum are written without a fraction");
    }

    [Fact]
    public void Crd_fits_the_last_applied_annotation_of_a_client_side_kubectl_apply()
    {
        // `kubectl apply` (client-side) copies the whole object into an annotation, and annotations are capped at
        // 256 KiB in total; big CRDs (a pod template with every upstream description) break there. This one carries
        // the template's structure without its descriptions partly for that reason.
        var bytes = System.Text.Encoding.UTF8.GetByteCount(KubernetesJson.Serialize(WsPool.Core.Crd.CrdGenerator.Generate()));
        bytes.Should().BeLessThan(256 * 1024 - 4096, "kubectl apply -f crds/ must work without --server-side");
    }

    [Theory]
    [InlineData("true")]
    [InlineData("True")]
    [InlineData("yes")]
    [InlineData("off")]
    [InlineData("null")]
    [InlineData("~")]
    [InlineData("")]
    [InlineData("8080")]
    [InlineData("1.5")]
    [InlineData("1e3")]
    [InlineData("0x1F")]
    [InlineData(".inf")]
    [InlineData("2026-11-28")]
    [InlineData("12:30")]
    public void Strings_that_look_like_other_scalars_are_double_quoted(string value)
    {
        var yaml = YamlWriter.Write(new JsonObject { ["key"] = value });
        yaml.Should().Be($"key: \"{value}\"\n");
        YamlToJson.Single(yaml)!["key"]!.GetValue<string>().Should().Be(value);
    }

    [Theory]
    [InlineData("1h")]
    [InlineData("WSPOOL")]
    [InlineData("/ws")]
    [InlineData("self.type != 'Header' || has(self.header)")]
    [InlineData("a: b # c")]
    [InlineData("!has(self.replicas)")]
    [InlineData("^[a-z]+$")]
    public void Other_strings_read_back_unchanged(string value)
    {
        var yaml = YamlWriter.Write(new JsonObject { ["key"] = value });
        YamlToJson.Single(yaml)!["key"]!.GetValue<string>().Should().Be(value);
        KubernetesYaml.Deserialize<Dictionary<string, string>>(yaml)["key"].Should().Be(value);
    }

    [Fact]
    public void Numbers_and_booleans_keep_their_json_spelling()
    {
        var yaml = YamlWriter.Write(new JsonObject { ["int"] = 65535, ["big"] = 1000000L, ["fraction"] = 0.5, ["flag"] = false });
        yaml.Should().Be("int: 65535\nbig: 1000000\nfraction: 0.5\nflag: false\n");
    }

    [Fact]
    public void Empty_maps_and_lists_are_written_in_flow_style()
    {
        YamlWriter.Write(new JsonObject { ["map"] = new JsonObject(), ["list"] = new JsonArray() }).Should().Be("map: {}\nlist: []\n");
    }
}
