using System.Net;
using static WsPool.KubeEmulator.Tests.Support;

namespace WsPool.KubeEmulator.Tests;

public sealed class CrudTests
{
    private static async Task<V1Status> StatusOf(Func<Task> act, HttpStatusCode code)
    {
        var error = (await act.Should().ThrowAsync<HttpOperationException>()).Which;
        error.Response.StatusCode.Should().Be(code);
        var status = KubernetesJson.Deserialize<V1Status>(error.Response.Content);
        status.Kind.Should().Be("Status");
        status.Code.Should().Be((int)code);
        return status;
    }

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
        var read = await client.CoreV1.ReadNamespacedConfigMapAsync("a", "default");
        read.Data["key"].Should().Be("value");
        read.Metadata.ResourceVersion.Should().Be(created.Metadata.ResourceVersion);
    }

    [Fact]
    public async Task Create_defaults_api_version_and_kind_from_the_endpoint()
    {
        await using var api = await KubeApiEmulator.StartAsync();
        var client = api.CreateClient();

        var created = await client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "bare" } }, "default");

        (created.ApiVersion, created.Kind).Should().Be(("v1", "ConfigMap"));
    }

    [Fact]
    public async Task Every_write_gets_a_higher_resource_version()
    {
        await using var api = await KubeApiEmulator.StartAsync();
        var client = api.CreateClient();

        var a = await client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("a"), "default");
        var b = await client.CoreV1.CreateNamespacedSecretAsync(new V1Secret { Metadata = new V1ObjectMeta { Name = "b" } }, "default");
        a.Data["key"] = "2";
        var a2 = await client.CoreV1.ReplaceNamespacedConfigMapAsync(a, "a", "default");

        long.Parse(b.Metadata.ResourceVersion).Should().BeGreaterThan(long.Parse(a.Metadata.ResourceVersion));
        long.Parse(a2.Metadata.ResourceVersion).Should().BeGreaterThan(long.Parse(b.Metadata.ResourceVersion));
    }

    [Fact]
    public async Task Creating_an_existing_name_is_409_already_exists()
    {
        await using var api = await KubeApiEmulator.StartAsync();
        var client = api.CreateClient();
        await client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("a"), "default");

        var status = await StatusOf(() => client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("a"), "default"), HttpStatusCode.Conflict);

        status.Reason.Should().Be("AlreadyExists");
        status.Details.Name.Should().Be("a");
        status.Message.Should().Be("configmaps \"a\" already exists");
    }

    [Fact]
    public async Task Generate_name_creates_a_unique_name_with_the_prefix()
    {
        await using var api = await KubeApiEmulator.StartAsync();
        var client = api.CreateClient();
        var template = new V1ConfigMap { Metadata = new V1ObjectMeta { GenerateName = "job-" } };

        var a = await client.CoreV1.CreateNamespacedConfigMapAsync(template, "default");
        var b = await client.CoreV1.CreateNamespacedConfigMapAsync(template, "default");

        a.Metadata.Name.Should().StartWith("job-").And.HaveLength(9);
        b.Metadata.Name.Should().NotBe(a.Metadata.Name);
    }

    [Fact]
    public async Task A_body_namespace_different_from_the_url_is_400_bad_request()
    {
        await using var api = await KubeApiEmulator.StartAsync();
        var client = api.CreateClient();
        var cm = ConfigMap("a");
        cm.Metadata.NamespaceProperty = "kube-system";

        var status = await StatusOf(() => client.CoreV1.CreateNamespacedConfigMapAsync(cm, "default"), HttpStatusCode.BadRequest);

        status.Reason.Should().Be("BadRequest");
    }

    [Fact]
    public async Task Creating_in_a_namespace_that_does_not_exist_is_404()
    {
        await using var api = await KubeApiEmulator.StartAsync();
        var client = api.CreateClient();

        var status = await StatusOf(() => client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("a"), "nowhere"), HttpStatusCode.NotFound);

        status.Details.Kind.Should().Be("namespaces");
    }

    [Fact]
    public async Task An_invalid_name_is_422_invalid_naming_the_field()
    {
        await using var api = await KubeApiEmulator.StartAsync();
        var client = api.CreateClient();

        var status = await StatusOf(() => client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("Not_Valid"), "default"), HttpStatusCode.UnprocessableEntity);

        status.Reason.Should().Be("Invalid");
        status.Details.Causes.Should().Contain(c => c.Field == "metadata.name");
    }

    [Fact]
    public async Task Reading_a_missing_object_is_404_not_found()
    {
        await using var api = await KubeApiEmulator.StartAsync();
        var client = api.CreateClient();

        var status = await StatusOf(() => client.AppsV1.ReadNamespacedDeploymentAsync("ghost", "default"), HttpStatusCode.NotFound);

        status.Reason.Should().Be("NotFound");
        status.Message.Should().Be("deployments.apps \"ghost\" not found");
        (status.Details.Group, status.Details.Kind, status.Details.Name).Should().Be(("apps", "deployments", "ghost"));
    }

    [Fact]
    public async Task Update_with_a_stale_resource_version_is_409_conflict()
    {
        await using var api = await KubeApiEmulator.StartAsync();
        var client = api.CreateClient();
        var original = await client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("a"), "default");
        var fresh = await client.CoreV1.ReadNamespacedConfigMapAsync("a", "default");
        fresh.Data["key"] = "first writer";
        await client.CoreV1.ReplaceNamespacedConfigMapAsync(fresh, "a", "default");

        original.Data["key"] = "second writer";
        var status = await StatusOf(() => client.CoreV1.ReplaceNamespacedConfigMapAsync(original, "a", "default"), HttpStatusCode.Conflict);

        status.Reason.Should().Be("Conflict");
        status.Message.Should().Contain("the object has been modified");
        (await client.CoreV1.ReadNamespacedConfigMapAsync("a", "default")).Data["key"].Should().Be("first writer");
    }

    [Fact]
    public async Task Update_without_a_resource_version_is_unconditional()
    {
        await using var api = await KubeApiEmulator.StartAsync();
        var client = api.CreateClient();
        await client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("a"), "default");

        var updated = await client.CoreV1.ReplaceNamespacedConfigMapAsync(ConfigMap("a", value: "blind"), "a", "default");

        updated.Data["key"].Should().Be("blind");
    }

    [Fact]
    public async Task Update_keeps_server_owned_metadata()
    {
        await using var api = await KubeApiEmulator.StartAsync();
        var client = api.CreateClient();
        var created = await client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("a"), "default");
        var replacement = ConfigMap("a", value: "new");
        replacement.Metadata.Uid = "forged";
        replacement.Metadata.CreationTimestamp = new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc);

        var updated = await client.CoreV1.ReplaceNamespacedConfigMapAsync(replacement, "a", "default");

        updated.Metadata.Uid.Should().Be(created.Metadata.Uid);
        updated.Metadata.CreationTimestamp.Should().Be(created.Metadata.CreationTimestamp);
    }

    [Fact]
    public async Task Updating_a_missing_object_is_404()
    {
        await using var api = await KubeApiEmulator.StartAsync();
        var client = api.CreateClient();

        await StatusOf(() => client.CoreV1.ReplaceNamespacedConfigMapAsync(ConfigMap("a"), "a", "default"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_service_gets_a_cluster_ip_that_an_update_without_one_keeps()
    {
        await using var api = await KubeApiEmulator.StartAsync();
        var client = api.CreateClient();
        var svc = new V1Service
        {
            Metadata = new V1ObjectMeta { Name = "web" },
            Spec = new V1ServiceSpec { Ports = [new V1ServicePort { Port = 80 }], Selector = new Dictionary<string, string> { ["app"] = "web" } },
        };

        var created = await client.CoreV1.CreateNamespacedServiceAsync(svc, "default");
        var updated = await client.CoreV1.ReplaceNamespacedServiceAsync(svc, "web", "default");

        created.Spec.ClusterIP.Should().MatchRegex(@"^10\.96\.\d+\.\d+$");
        updated.Spec.ClusterIP.Should().Be(created.Spec.ClusterIP);
    }

    [Fact]
    public async Task Cluster_scoped_objects_are_created_without_a_namespace()
    {
        await using var api = await KubeApiEmulator.StartAsync();
        var client = api.CreateClient();

        var ns = await client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = "team-a" } });

        ns.Metadata.NamespaceProperty.Should().BeNull();
        ns.Status.Phase.Should().Be("Active");
        (await client.CoreV1.ListNamespaceAsync()).Items.Select(n => n.Metadata.Name).Should().Contain(["default", "team-a"]);
    }

    [Fact]
    public async Task Dry_run_answers_the_result_without_storing_it()
    {
        await using var api = await KubeApiEmulator.StartAsync();
        var client = api.CreateClient();

        var answer = await client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("a"), "default", dryRun: "All");

        answer.Metadata.Name.Should().Be("a");
        api.Store.Get<V1ConfigMap>("default", "a").Should().BeNull();
    }
}
