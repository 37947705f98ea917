using static WsPool.KubeEmulator.Tests.Support;

namespace WsPool.KubeEmulator.Tests;

public sealed class ListTests
{
    private static async Task<Kubernetes> Seeded(KubeApiEmulator api)
    {
        var client = api.CreateClient();
        await client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("a", new() { ["env"] = "prod", ["tier"] = "web" }), "default");
        await client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("b", new() { ["env"] = "dev", ["tier"] = "web" }), "default");
        await client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("c", new() { ["env"] = "test" }), "default");
        await client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("d"), "default");
        return client;
    }

    private static async Task<string[]> Names(Kubernetes client, string selector) =>
        (await client.CoreV1.ListNamespacedConfigMapAsync("default", labelSelector: selector)).Items.Select(i => i.Metadata.Name).ToArray();

    [Theory]
    [InlineData("env=prod", new[] { "a" })]
    [InlineData("env==prod", new[] { "a" })]
    [InlineData("env!=prod", new[] { "b", "c", "d" })]
    [InlineData("env in (dev,test)", new[] { "b", "c" })]
    [InlineData("env notin (dev,test)", new[] { "a", "d" })]
    [InlineData("tier", new[] { "a", "b" })]
    [InlineData("!tier", new[] { "c", "d" })]
    [InlineData("tier=web,env in (prod)", new[] { "a" })]
    public async Task Label_selectors_filter_lists(string selector, string[] expected)
    {
        await using var api = await KubeApiEmulator.StartAsync();
        var client = await Seeded(api);

        (await Names(client, selector)).Should().Equal(expected);
    }

    [Fact]
    public async Task A_malformed_label_selector_is_400()
    {
        await using var api = await KubeApiEmulator.StartAsync();
        var client = api.CreateClient();

        var act = () => client.CoreV1.ListNamespacedConfigMapAsync("default", labelSelector: "a in (x");

        (await act.Should().ThrowAsync<HttpOperationException>()).Which.Response.StatusCode.Should().Be(System.Net.HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Field_selector_on_metadata_name_picks_one_object()
    {
        await using var api = await KubeApiEmulator.StartAsync();
        var client = await Seeded(api);

        var list = await client.CoreV1.ListNamespacedConfigMapAsync("default", fieldSelector: "metadata.name=c");

        list.Items.Should().ContainSingle().Which.Metadata.Name.Should().Be("c");
    }

    [Fact]
    public async Task Cluster_wide_list_spans_namespaces_and_field_selector_on_namespace_narrows_it()
    {
        await using var api = await KubeApiEmulator.StartAsync();
        var client = api.CreateClient();
        await client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("x"), "default");
        await client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("y"), "kube-system");

        var all = await client.CoreV1.ListConfigMapForAllNamespacesAsync();
        var system = await client.CoreV1.ListConfigMapForAllNamespacesAsync(fieldSelector: "metadata.namespace=kube-system");

        all.Items.Select(i => i.Metadata.Name).Should().BeEquivalentTo("x", "y");
        system.Items.Select(i => i.Metadata.Name).Should().Equal("y");
    }

    [Fact]
    public async Task A_list_reports_the_current_resource_version()
    {
        await using var api = await KubeApiEmulator.StartAsync();
        var client = await Seeded(api);

        var list = await client.CoreV1.ListNamespacedConfigMapAsync("default");

        list.Metadata.ResourceVersion.Should().Be(api.Store.ResourceVersion.ToString());
        (list.ApiVersion, list.Kind).Should().Be(("v1", "ConfigMapList"));
    }

    [Fact]
    public async Task Limit_and_continue_page_through_a_list()
    {
        await using var api = await KubeApiEmulator.StartAsync();
        var client = await Seeded(api);

        var first = await client.CoreV1.ListNamespacedConfigMapAsync("default", limit: 3);
        var second = await client.CoreV1.ListNamespacedConfigMapAsync("default", limit: 3, continueParameter: first.Metadata.ContinueProperty);

        first.Items.Select(i => i.Metadata.Name).Should().Equal("a", "b", "c");
        first.Metadata.RemainingItemCount.Should().Be(1);
        second.Items.Select(i => i.Metadata.Name).Should().Equal("d");
        second.Metadata.ContinueProperty.Should().BeNullOrEmpty();
    }
}
