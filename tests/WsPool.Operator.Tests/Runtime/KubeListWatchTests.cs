using k8s;
using k8s.Models;
using WsPool.Operator.Runtime;
using WsPool.Operator.Tests.Integration;

namespace WsPool.Operator.Tests.Runtime;

/// <summary>Listing through KubernetesClient against the emulator: pages, and admission as pages arrive.</summary>
public sealed class KubeListWatchTests
{
    private static KubeListWatch<V1ConfigMap, V1ConfigMapList> ConfigMaps(IKubernetes client) => new("configmaps in chat", "chat",
        q => client.CoreV1.ListNamespacedConfigMapWithHttpMessagesAsync("chat", resourceVersion: q.ResourceVersion,
            limit: q.Limit, continueParameter: q.Continue, cancellationToken: q.CancellationToken),
        l => new(l.Items.ToList(), l.Metadata.ResourceVersion, l.Metadata.ContinueProperty));

    [Fact]
    public async Task A_large_collection_is_listed_in_pages_and_every_object_is_admitted_once()
    {
        await using var cluster = await TestCluster.StartAsync();
        const int count = 2 * KubeListWatch<V1ConfigMap, V1ConfigMapList>.PageSize + 1;
        for (var i = 0; i < count; i++)
            cluster.Api.Store.Create(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = $"cm-{i:D4}", NamespaceProperty = "chat" } });
        cluster.Api.Requests.Clear();
        var admitted = 0;

        var list = await ConfigMaps(cluster.Client).ListAsync(cm => { admitted++; return cm; }, CancellationToken.None);

        list.Items.Select(cm => cm.Metadata.Name).Should().OnlyHaveUniqueItems().And.HaveCount(count);
        admitted.Should().Be(count);
        cluster.Api.Requests.Count(r => r.Verb == "list" && r.Resource == "configmaps").Should().Be(3);
        list.ResourceVersion.Should().NotBeNullOrEmpty();
    }

    [Fact]
    public async Task The_list_returns_what_admission_made_of_each_object()
    {
        await using var cluster = await TestCluster.StartAsync();
        cluster.Api.Store.Create(new V1ConfigMap
        {
            Metadata = new V1ObjectMeta { Name = "big", NamespaceProperty = "chat" },
            Data = new Dictionary<string, string> { ["haproxy.cfg"] = new string('x', 10_000) },
        });

        var list = await ConfigMaps(cluster.Client).ListAsync(cm => new V1ConfigMap { Metadata = cm.Metadata }, CancellationToken.None);

        list.Items.Should().ContainSingle().Which.Data.Should().BeNull();
    }
}
