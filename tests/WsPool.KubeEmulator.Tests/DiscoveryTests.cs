namespace WsPool.KubeEmulator.Tests;

public sealed class DiscoveryTests
{
    [Fact]
    public async Task Version_reports_a_kubernetes_version()
    {
        await using var api = await KubeApiEmulator.StartAsync();

        var version = await api.CreateClient().Version.GetCodeAsync();

        (version.Major, version.Minor).Should().Be(("1", "36"));
    }

    [Fact]
    public async Task Core_resources_are_listed_with_verbs_short_names_and_status()
    {
        await using var api = await KubeApiEmulator.StartAsync();

        var list = await api.CreateClient().CoreV1.GetAPIResourcesAsync();

        list.GroupVersion.Should().Be("v1");
        var services = list.Resources.Single(r => r.Name == "services");
        services.Namespaced.Should().BeTrue();
        services.Kind.Should().Be("Service");
        services.ShortNames.Should().Contain("svc");
        services.Verbs.Should().Contain(["get", "list", "watch", "create", "update", "patch", "delete"]);
        list.Resources.Select(r => r.Name).Should().Contain(["pods", "endpoints", "configmaps", "secrets", "namespaces", "events", "services/status"]);
        list.Resources.Single(r => r.Name == "namespaces").Namespaced.Should().BeFalse();
    }

    [Fact]
    public async Task Deployments_advertise_status_and_scale_subresources()
    {
        await using var api = await KubeApiEmulator.StartAsync();

        var list = await api.CreateClient().AppsV1.GetAPIResourcesAsync();

        list.Resources.Select(r => r.Name).Should().Contain(["deployments", "deployments/status", "deployments/scale", "replicasets"]);
        var scale = list.Resources.Single(r => r.Name == "deployments/scale");
        (scale.Group, scale.Version, scale.Kind).Should().Be(("autoscaling", "v1", "Scale"));
    }

    [Fact]
    public async Task Api_groups_include_every_group_wspool_uses()
    {
        await using var api = await KubeApiEmulator.StartAsync();

        var groups = await api.CreateClient().Apis.GetAPIVersionsAsync();

        groups.Groups.Select(g => g.Name).Should().Contain(["apps", "policy", "networking.k8s.io", "gateway.networking.k8s.io", "discovery.k8s.io",
            "coordination.k8s.io", "events.k8s.io", "apiextensions.k8s.io"]);
        groups.Groups.Single(g => g.Name == "apps").PreferredVersion.GroupVersion.Should().Be("apps/v1");
    }

    [Fact]
    public async Task Creating_a_crd_serves_its_group_with_status_and_scale()
    {
        await using var api = await KubeApiEmulator.StartAsync();
        var client = api.CreateClient();

        var crd = await client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(Crds.WebSocketPools());
        using var http = new HttpClient();
        var list = KubernetesJson.Deserialize<V1APIResourceList>(await http.GetStringAsync($"{api.Url}/apis/wspool.dev/v1alpha1"));

        crd.Status.Conditions.Should().Contain(c => c.Type == "Established" && c.Status == "True");
        list.Resources.Select(r => r.Name).Should().Equal("websocketpools", "websocketpools/status", "websocketpools/scale");
        list.Resources[0].ShortNames.Should().Equal("wsp");
        (await client.Apis.GetAPIVersionsAsync()).Groups.Select(g => g.Name).Should().Contain("wspool.dev");
    }

    [Fact]
    public async Task An_omitted_resource_is_served_once_its_crd_is_created()
    {
        await using var api = await KubeApiEmulator.StartAsync(new EmulatorOptions { OmitResources = [Resources.StandInCrds.HttpRoutesName] });
        var client = api.CreateClient();
        using var http = new HttpClient();

        var before = await http.GetAsync($"{api.Url}/apis/gateway.networking.k8s.io/v1");
        var list = () => client.CustomObjects.ListNamespacedCustomObjectAsync("gateway.networking.k8s.io", "v1", "default", "httproutes");
        (await list.Should().ThrowAsync<HttpOperationException>()).Which.Response.StatusCode.Should().Be(System.Net.HttpStatusCode.NotFound);
        await client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(
            KubernetesYaml.Deserialize<V1CustomResourceDefinition>(Resources.StandInCrds.HttpRoutesYaml));
        var after = KubernetesJson.Deserialize<V1APIResourceList>(await http.GetStringAsync($"{api.Url}/apis/gateway.networking.k8s.io/v1"));

        before.StatusCode.Should().Be(System.Net.HttpStatusCode.NotFound);
        after.Resources.Select(r => r.Name).Should().Equal("httproutes", "httproutes/status");
        await list.Should().NotThrowAsync();
    }

    [Fact]
    public async Task A_group_version_nobody_serves_answers_a_plain_404_page_as_the_api_servers_last_handler_does()
    {
        await using var api = await KubeApiEmulator.StartAsync();
        using var http = new HttpClient();

        foreach (var path in new[] { "/apis/nothing.example/v1", "/apis/nothing.example/v1/namespaces/default/things/a", "/apis/apps/v9/deployments" })
        {
            var response = await http.GetAsync(api.Url + path);

            response.StatusCode.Should().Be(System.Net.HttpStatusCode.NotFound, path);
            response.Content.Headers.ContentType!.MediaType.Should().Be("text/plain", path);
            (await response.Content.ReadAsStringAsync()).Should().Be("404 page not found\n", path);
        }
        var servedGroupVersion = await http.GetAsync($"{api.Url}/apis/apps/v1/nothings");
        servedGroupVersion.Content.Headers.ContentType!.MediaType.Should().Be("application/json", "a served group/version answers a Status");
        KubernetesJson.Deserialize<V1Status>(await servedGroupVersion.Content.ReadAsStringAsync()).Reason.Should().Be("NotFound");
    }

    [Fact]
    public async Task An_unknown_resource_is_404()
    {
        await using var api = await KubeApiEmulator.StartAsync();

        var act = () => api.CreateClient().CustomObjects.ListNamespacedCustomObjectAsync("nothing.example", "v1", "default", "things");

        (await act.Should().ThrowAsync<HttpOperationException>()).Which.Response.StatusCode.Should().Be(System.Net.HttpStatusCode.NotFound);
    }
}
