#pragma warning disable CS0618 // WatchAsync is marked obsolete in KubernetesClient 21 but is the documented way to watch.
using System.Net;
using WsPool.KubeEmulator.Faults;
using static WsPool.KubeEmulator.Tests.Support;

namespace WsPool.KubeEmulator.Tests;

public sealed class FaultInjectionTests
{
    private static async Task<List<HttpStatusCode>> ReadMany(Kubernetes client, int count)
    {
        var codes = new List<HttpStatusCode>();
        for (var i = 0; i < count; i++)
        {
            try
            {
                await client.CoreV1.ReadNamespacedConfigMapAsync("a", "default");
                codes.Add(HttpStatusCode.OK);
            }
            catch (HttpOperationException e)
            {
                codes.Add(e.Response.StatusCode);
            }
        }
        return codes;
    }

    [Fact]
    public async Task Server_errors_are_injected_at_about_the_configured_rate()
    {
        await using var api = await KubeApiEmulator.StartAsync();
        var client = api.CreateClient();
        await client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("a"), "default");
        api.Faults.Add(FaultKind.InternalError, 0.3, verbs: ["get"]);

        var codes = await ReadMany(client, 400);

        var failed = codes.Count(c => c == HttpStatusCode.InternalServerError);
        failed.Should().BeInRange(80, 160, "30% of 400 is 120; the binomial spread is about 9");
        api.Requests.Count(r => r.Fault == "InternalError").Should().Be(failed);
    }

    [Fact]
    public async Task The_same_seed_injects_the_same_faults_into_the_same_request_sequence()
    {
        async Task<List<HttpStatusCode>> Run()
        {
            await using var api = await KubeApiEmulator.StartAsync(new EmulatorOptions { Seed = 42 });
            var client = api.CreateClient();
            await client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("a"), "default");
            api.Faults.Add(FaultKind.ServiceUnavailable, 0.5, verbs: ["get"]);
            return await ReadMany(client, 50);
        }

        var first = await Run();
        var second = await Run();

        first.Should().Equal(second);
        first.Should().Contain(HttpStatusCode.ServiceUnavailable).And.Contain(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Faults_can_be_switched_off_at_runtime()
    {
        await using var api = await KubeApiEmulator.StartAsync();
        var client = api.CreateClient();
        await client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("a"), "default");
        api.Faults.Add(FaultKind.InternalError, 1.0);

        (await ReadMany(client, 3)).Should().AllBeEquivalentTo(HttpStatusCode.InternalServerError);
        api.Faults.Enabled = false;
        (await ReadMany(client, 3)).Should().AllBeEquivalentTo(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Too_many_requests_carries_a_retry_after_header()
    {
        await using var api = await KubeApiEmulator.StartAsync();
        var client = api.CreateClient();
        api.Faults.RetryAfterSeconds = 3;
        api.Faults.Add(FaultKind.TooManyRequests, 1.0, verbs: ["list"]);

        var act = () => client.CoreV1.ListNamespacedConfigMapAsync("default");

        var error = (await act.Should().ThrowAsync<HttpOperationException>()).Which;
        error.Response.StatusCode.Should().Be(HttpStatusCode.TooManyRequests);
        error.Response.Headers["Retry-After"].Should().Equal("3");
        KubernetesJson.Deserialize<V1Status>(error.Response.Content).Details.RetryAfterSeconds.Should().Be(3);
    }

    [Fact]
    public async Task Write_conflicts_hit_writes_only()
    {
        await using var api = await KubeApiEmulator.StartAsync();
        var client = api.CreateClient();
        api.Store.Create(ConfigMap("a"));
        api.Faults.Add(FaultKind.WriteConflict, 1.0);

        await client.CoreV1.ReadNamespacedConfigMapAsync("a", "default");
        var act = () => client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("b"), "default");

        var error = (await act.Should().ThrowAsync<HttpOperationException>()).Which;
        error.Response.StatusCode.Should().Be(HttpStatusCode.Conflict);
        KubernetesJson.Deserialize<V1Status>(error.Response.Content).Reason.Should().Be("Conflict");
    }

    [Fact]
    public async Task Faults_narrowed_to_a_resource_leave_other_resources_alone()
    {
        await using var api = await KubeApiEmulator.StartAsync();
        var client = api.CreateClient();
        api.Faults.Add(FaultKind.InternalError, 1.0, resources: ["secrets"]);

        await client.CoreV1.ListNamespacedConfigMapAsync("default");
        var act = () => client.CoreV1.ListNamespacedSecretAsync("default");

        await act.Should().ThrowAsync<HttpOperationException>();
    }

    [Fact]
    public async Task Slow_responses_are_delayed_and_recorded_but_succeed()
    {
        await using var api = await KubeApiEmulator.StartAsync();
        var client = api.CreateClient();
        api.Faults.SlowResponseDelay = TimeSpan.FromMilliseconds(50);
        api.Faults.Add(FaultKind.SlowResponse, 1.0, verbs: ["list"]);

        await client.CoreV1.ListNamespacedConfigMapAsync("default");

        api.Requests.Where(r => r.Verb == "list").Should().ContainSingle().Which.Fault.Should().Be("SlowResponse");
    }

    [Fact]
    public async Task An_injected_watch_gone_fault_answers_a_410_error_event()
    {
        await using var api = await KubeApiEmulator.StartAsync();
        var client = api.CreateClient();
        api.Faults.Add(FaultKind.WatchGone, 1.0);

        await using var watch = new WatchReader<V1ConfigMap, V1ConfigMapList>(ct =>
            client.CoreV1.ListNamespacedConfigMapWithHttpMessagesAsync("default", watch: true, resourceVersion: "1", cancellationToken: ct));
        await watch.UntilEndAsync();

        watch.Errors.OfType<KubernetesException>().Should().ContainSingle().Which.Status.Code.Should().Be(410);
    }

    [Fact]
    public async Task A_dropped_watch_stream_ends_the_clients_watch()
    {
        await using var api = await KubeApiEmulator.StartAsync();
        var client = api.CreateClient();
        api.Faults.WatchDropAfterMax = TimeSpan.FromMilliseconds(200);
        api.Faults.Add(FaultKind.DropWatch, 1.0);

        await using var watch = new WatchReader<V1ConfigMap, V1ConfigMapList>(ct =>
            client.CoreV1.ListNamespacedConfigMapWithHttpMessagesAsync("default", watch: true, cancellationToken: ct));

        (await watch.UntilEndAsync()).Should().BeEmpty();
        api.Requests.Where(r => r.Verb == "watch").Should().ContainSingle().Which.Fault.Should().Be("DropWatch");
    }

    [Fact]
    public async Task Direct_store_access_bypasses_faults()
    {
        await using var api = await KubeApiEmulator.StartAsync();
        api.Faults.AddAll(1.0);

        api.Store.Create(ConfigMap("a"));

        api.Store.Get<V1ConfigMap>("default", "a").Should().NotBeNull();
    }
}
