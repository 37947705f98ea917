using System.Text.Json;
using k8s;
using k8s.Models;
using WsPool.Core.Api;
using WsPool.Install.Tests.Support;
using WsPool.Operator.Kubernetes;

namespace WsPool.Install.Tests.RealServer;

/// <summary>
/// Pools on the real Kubernetes 1.36 apiextensions-apiserver with our CRD: what users apply is accepted or refused
/// there exactly as the examples promise, and the subresources behave as the operator assumes.
/// </summary>
[Collection(RealServerCollection.Name)]
public sealed class PoolsOnRealServerTests(RealServerWithCrd real)
{
    private RealCrdServer Server => real.Server;

    public static TheoryData<string> Examples() => new(Repository.ExampleFileNames());

    public static TheoryData<string> InvalidExamples() =>
        new(Directory.GetFiles(Repo.Path("examples", "invalid"), "*.yaml").Select(f => Path.GetFileName(f)!).Order(StringComparer.Ordinal));

    [Theory]
    [MemberData(nameof(Examples))]
    public async Task Every_example_pool_is_accepted_with_no_warning(string example)
    {
        var result = await Server.KubectlAsync("apply", "--server-side", "--dry-run=server", "-f", Repo.Path("examples", example));

        result.ExitCode.Should().Be(0, result.ToString());
        result.Stdout.Should().Contain("serverside-applied");
        result.Stderr.Should().BeEmpty("an example must not carry a field the server prunes");
    }

    /// <summary>Each invalid example names, in "# rejected at: FIELD" lines, every field the server must refuse.</summary>
    [Theory]
    [MemberData(nameof(InvalidExamples))]
    public async Task Every_invalid_example_is_rejected_on_the_fields_it_names(string example)
    {
        var file = Repo.Path("examples", "invalid", example);
        var expected = File.ReadLines(file)
            .Where(l => l.StartsWith("# rejected at: ", StringComparison.Ordinal))
            .Select(l => l["# rejected at: ".Length..].Trim())
            .ToList();
        expected.Should().NotBeEmpty($"{example} must say where it is invalid");

        var result = await Server.KubectlAsync("apply", "--server-side", "--dry-run=server", "-f", file);

        result.ExitCode.Should().NotBe(0);
        RejectedFields(result.Stderr).Should().BeEquivalentTo(expected, result.ToString());
    }

    [Fact]
    public async Task The_status_the_operator_writes_is_accepted_through_the_status_subresource()
    {
        using var client = Client();
        var pool = await CreatePoolAsync(client, "status-write");
        var status = new WebSocketPoolStatus
        {
            ObservedGeneration = pool.Metadata.Generation,
            Replicas = 3,
            ReadyReplicas = 2,
            DesiredReplicas = 3,
            Selector = "app.kubernetes.io/instance=status-write",
            Conditions = [new() { Type = "Ready", Status = "False", Reason = "Scaling", Message = "2 of 3 ready", LastTransitionTime = DateTime.UtcNow, ObservedGeneration = pool.Metadata.Generation }],
        };

        var written = await new PoolKind().PatchStatusAsync(client, pool, status, CancellationToken.None);

        written.Status!.ReadyReplicas.Should().Be(2);
        written.Status.Conditions.Should().ContainSingle(c => c.Type == "Ready" && c.Reason == "Scaling");
        written.Metadata.Generation.Should().Be(pool.Metadata.Generation, "a status write does not change the generation");
    }

    [Fact]
    public async Task A_status_sent_with_the_main_resource_is_ignored()
    {
        using var client = Client();
        var pool = await CreatePoolAsync(client, "status-ignored");
        var patch = new V1Patch(new { status = new { replicas = 7 } }, V1Patch.PatchType.MergePatch);

        var raw = await client.CustomObjects.PatchNamespacedCustomObjectAsync(patch, WebSocketPool.Group, WebSocketPool.Version,
            "default", WebSocketPool.Plural, pool.Metadata.Name);

        Read(raw).Status.Should().BeNull("the main resource's endpoint drops status when the status subresource is on");
    }

    [Fact]
    public async Task The_scale_subresource_reads_and_writes_spec_replicas()
    {
        using var client = Client();
        var pool = await CreatePoolAsync(client, "scaled");

        var scale = Read<V1Scale>(await client.CustomObjects.PatchNamespacedCustomObjectScaleAsync(
            new V1Patch(new { spec = new { replicas = 4 } }, V1Patch.PatchType.MergePatch),
            WebSocketPool.Group, WebSocketPool.Version, "default", WebSocketPool.Plural, pool.Metadata.Name));
        var after = Read(await client.CustomObjects.GetNamespacedCustomObjectAsync(WebSocketPool.Group, WebSocketPool.Version,
            "default", WebSocketPool.Plural, pool.Metadata.Name));

        scale.Spec.Replicas.Should().Be(4);
        after.Spec.Replicas.Should().Be(4);
        after.Metadata.Generation.Should().Be(pool.Metadata.Generation + 1);
    }

    [Fact]
    public async Task The_server_fills_the_schema_defaults_of_a_minimal_pool()
    {
        using var client = Client();

        var created = (JsonElement)await client.CustomObjects.PatchNamespacedCustomObjectAsync(
            new V1Patch(MinimalPoolJson("defaulted", replicas: 3), V1Patch.PatchType.ApplyPatch), WebSocketPool.Group,
            WebSocketPool.Version, "default", WebSocketPool.Plural, "defaulted", fieldManager: "kubectl");

        var spec = created.GetProperty("spec");
        spec.GetProperty("affinity").GetProperty("type").GetString().Should().Be("None");
        spec.GetProperty("balancer").GetProperty("type").GetString().Should().Be("HAProxy");
        spec.GetProperty("connections").TryGetProperty("target", out _).Should().BeTrue(spec.ToString());
    }

    [Fact]
    public async Task Server_side_apply_by_another_manager_conflicts_on_a_field_the_first_one_owns()
    {
        using var client = Client();
        var pool = await CreatePoolAsync(client, "two-managers");
        var conflict = async () => await client.CustomObjects.PatchNamespacedCustomObjectAsync(
            new V1Patch(MinimalPoolJson(pool.Metadata.Name, replicas: 2), V1Patch.PatchType.ApplyPatch), WebSocketPool.Group, WebSocketPool.Version,
            "default", WebSocketPool.Plural, pool.Metadata.Name, fieldManager: "someone-else");

        (await conflict.Should().ThrowAsync<k8s.Autorest.HttpOperationException>())
            .Which.Response.StatusCode.Should().Be(System.Net.HttpStatusCode.Conflict);
    }

    private Kubernetes Client() => new(KubernetesClientConfiguration.BuildConfigFromConfigFile(Server.Kubeconfig));

    private static async Task<WebSocketPool> CreatePoolAsync(Kubernetes client, string name)
    {
        var created = await client.CustomObjects.PatchNamespacedCustomObjectAsync(
            new V1Patch(MinimalPoolJson(name, replicas: 3), V1Patch.PatchType.ApplyPatch), WebSocketPool.Group,
            WebSocketPool.Version, "default", WebSocketPool.Plural, name, fieldManager: "kubectl");
        return Read(created);
    }

    /// <summary>A pool as a user writes it: only the fields they set (the typed model would send every default).</summary>
    private static string MinimalPoolJson(string name, int replicas) => JsonSerializer.Serialize(new
    {
        apiVersion = WebSocketPool.GroupVersion,
        kind = WebSocketPool.KindName,
        metadata = new { name, @namespace = "default" },
        spec = new
        {
            replicas,
            template = new { spec = new { containers = new[] { new { name = "app", image = "ghcr.io/example/app:1.0.0", ports = new[] { new { name = "ws", containerPort = 8080 } } } } } },
        },
    });

    private static WebSocketPool Read(object raw) => Read<WebSocketPool>(raw);

    private static T Read<T>(object raw) =>
        KubernetesJson.Deserialize<T>(raw is JsonElement e ? e.GetRawText() : KubernetesJson.Serialize(raw));

    /// <summary>The field of each "* field: message" line (or the one-error form "is invalid: field: message").</summary>
    private static IReadOnlyList<string> RejectedFields(string stderr)
    {
        var lines = stderr.Split('\n').Select(l => l.Trim()).ToList();
        var bullets = lines.Where(l => l.StartsWith("* ", StringComparison.Ordinal)).Select(l => l[2..]).ToList();
        if (bullets.Count == 0)
            bullets = lines.Where(l => l.Contains(" is invalid: ", StringComparison.Ordinal))
                .Select(l => l[(l.IndexOf(" is invalid: ", StringComparison.Ordinal) + " is invalid: ".Length)..]).ToList();
        return bullets.Select(b => b[..b.IndexOf(": ", StringComparison.Ordinal)]).ToList();
    }
}
