using System.Net;

namespace WsPool.KubeEmulator.Tests;

public sealed class CrudTests
{
    private static V1ConfigMap ConfigMap(string name, Dictionary<string, string>? labels = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, Labels = labels },
        Data = new Dictionary<string, string> { ["key"] = "value" },
    };

    [Fact]
    public async Task Created_object_gets_uid_creation_timestamp_generation_and_resource_version()
    {
        await using var api = await KubeApiEmulator.StartAsync();
        var client = api.CreateClient();

        var created = await client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("a"), "default");

        created.Metadata.Uid.Should().NotBeNullOrEmpty();
        created.Metadata.CreationTimestamp.Should().NotBeNull();
        created.Metadata.Generation.Should().Be(1);
        long.Parse(created.Metadata.ResourceVersion).Should().BeGreaterThan(0);
        created.ApiVersion.Should().Be("v1");
        created.Kind.Should().Be("ConfigMap");
        var read = await client.CoreV1.ReadNamespacedConfigMapAsync("a", "default");
        read.Data["key"].Should().Be("value");
        read.Metadata.ResourceVersion.Should().Be(created.Metadata.ResourceVersion);
    }
}
