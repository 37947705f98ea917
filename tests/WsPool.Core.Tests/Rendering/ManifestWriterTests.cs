using k8s;
using k8s.Models;
using WsPool.Core.Rendering;

namespace WsPool.Core.Tests.Rendering;

public class ManifestWriterTests
{
    private static V1ConfigMap ConfigMap(params (string Key, string Value)[] labels) => new()
    {
        ApiVersion = "v1",
        Kind = "ConfigMap",
        Metadata = new V1ObjectMeta { Name = "c", NamespaceProperty = "ns", Labels = labels.ToDictionary(l => l.Key, l => l.Value) },
        Data = new Dictionary<string, string> { ["z"] = "1", ["a"] = "2" },
    };

    [Fact]
    public void Documents_are_separated_by_three_dashes_and_end_with_a_newline()
    {
        var yaml = ManifestWriter.ToYaml(new IKubernetesObject<V1ObjectMeta>[] { ConfigMap(), ConfigMap() });

        yaml.Split("\n---\n").Should().HaveCount(2);
        yaml.Should().EndWith("\n").And.NotStartWith("---");
    }

    [Fact]
    public void Api_version_kind_and_metadata_lead_and_every_other_key_is_sorted()
    {
        var yaml = ManifestWriter.ToYaml(ConfigMap(("b", "second"), ("a", "first")));

        yaml.Should().Be("""
            apiVersion: v1
            kind: ConfigMap
            metadata:
              labels:
                a: first
                b: second
              name: c
              namespace: ns
            data:
              a: "2"
              z: "1"

            """.Replace("\r\n", "\n"));
    }

    [Fact]
    public void The_bytes_do_not_depend_on_the_order_maps_were_filled_in()
    {
        ManifestWriter.ToYaml(ConfigMap(("b", "x"), ("a", "y")))
            .Should().Be(ManifestWriter.ToYaml(ConfigMap(("a", "y"), ("b", "x"))));
    }

    [Fact]
    public void Status_is_left_out_even_when_present()
    {
        var deployment = new V1Deployment
        {
            ApiVersion = "apps/v1",
            Kind = "Deployment",
            Metadata = new V1ObjectMeta { Name = "d" },
            Status = new V1DeploymentStatus { Replicas = 3 },
        };

        ManifestWriter.ToYaml(deployment).Should().NotContain("status").And.NotContain("replicas");
    }

    [Fact]
    public void Nulls_are_left_out_and_empty_objects_that_mean_something_stay()
    {
        var deployment = new V1Deployment
        {
            ApiVersion = "apps/v1",
            Kind = "Deployment",
            Metadata = new V1ObjectMeta { Name = "d", Annotations = null },
            Spec = new V1DeploymentSpec
            {
                Template = new V1PodTemplateSpec
                {
                    Spec = new V1PodSpec
                    {
                        Containers = new List<V1Container>(),
                        Volumes = new List<V1Volume> { new() { Name = "scratch", EmptyDir = new V1EmptyDirVolumeSource() } },
                    },
                },
            },
        };

        var yaml = ManifestWriter.ToYaml(deployment);

        yaml.Should().NotContain("null").And.NotContain("annotations");
        yaml.Should().Contain("emptyDir: {}");
    }

    [Theory]
    [InlineData("no")]
    [InlineData("yes")]
    [InlineData("on")]
    [InlineData("y")]
    [InlineData("6379")]
    [InlineData("1e3")]
    [InlineData("")]
    [InlineData("null")]
    public void Strings_that_yaml_could_read_as_another_type_stay_strings(string value)
    {
        var map = ConfigMap();
        map.Data = new Dictionary<string, string> { ["k"] = value };

        var back = KubernetesYaml.Deserialize<V1ConfigMap>(ManifestWriter.ToYaml(map), strict: true);

        back.Data["k"].Should().Be(value);
    }

    [Fact]
    public void Long_values_stay_on_one_line()
    {
        var map = ConfigMap();
        var words = string.Join(' ', Enumerable.Repeat("word", 60));
        map.Data = new Dictionary<string, string> { ["k"] = words };

        ManifestWriter.ToYaml(map).Should().Contain($"k: {words}\n");
    }

    [Fact]
    public void A_rendered_pool_writes_all_of_its_objects()
    {
        var rendered = TestPools.Render(TestPools.Minimal());

        ManifestWriter.ToYaml(rendered.Objects).Split("\n---\n").Should().HaveCount(rendered.Objects.Count);
    }
}
