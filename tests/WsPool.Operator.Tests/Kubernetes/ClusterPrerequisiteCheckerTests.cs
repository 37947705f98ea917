using System.Net;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using WsPool.Core.Balancers;
using WsPool.KubeEmulator;
using WsPool.KubeEmulator.Resources;
using WsPool.Operator.Kubernetes;
using WsPool.Operator.Reconciling;
using WsPool.Operator.Runtime;

namespace WsPool.Operator.Tests.Kubernetes;

public sealed class ClusterPrerequisiteCheckerTests
{
    private static readonly ApiResourcePrerequisite HttpRoutes = ClusterPrerequisites.HttpRoutes(experimental: false);
    private static readonly IngressClassPrerequisite Nginx = new("nginx", "ingress-nginx");

    [Fact]
    public async Task A_missing_api_is_looked_for_on_every_check_and_a_present_one_is_remembered_until_forgotten()
    {
        await using var api = await KubeApiEmulator.StartAsync(new EmulatorOptions { OmitResources = [StandInCrds.HttpRoutesName] });
        using var client = api.CreateClient();
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var checker = new ClusterPrerequisiteChecker(client, clock, NullLogger<ClusterPrerequisiteChecker>.Instance);
        int Lookups() => api.Requests.Count(r => r.Path == "/apis/gateway.networking.k8s.io/v1");

        (await checker.MissingAsync([HttpRoutes], default)).Should().Equal(HttpRoutes);
        (await checker.MissingAsync([HttpRoutes], default)).Should().Equal(HttpRoutes);
        Lookups().Should().Be(2, "a missing API is never remembered");

        await client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(KubernetesYaml.Deserialize<V1CustomResourceDefinition>(StandInCrds.HttpRoutesYaml));
        (await checker.MissingAsync([HttpRoutes], default)).Should().BeEmpty();
        (await checker.MissingAsync([HttpRoutes], default)).Should().BeEmpty();
        Lookups().Should().Be(3, "a present API is remembered");

        checker.Forget([HttpRoutes]);
        (await checker.MissingAsync([HttpRoutes], default)).Should().BeEmpty();
        clock.Advance(checker.PresentFor + TimeSpan.FromSeconds(1));
        (await checker.MissingAsync([HttpRoutes], default)).Should().BeEmpty();
        Lookups().Should().Be(5, "forgotten, and expired after PresentFor");
    }

    [Fact]
    public async Task A_group_that_serves_other_resources_but_not_this_one_is_missing_it()
    {
        await using var api = await KubeApiEmulator.StartAsync();
        using var client = api.CreateClient();
        var checker = new ClusterPrerequisiteChecker(client, TimeProvider.System, NullLogger<ClusterPrerequisiteChecker>.Instance);
        var grpcRoutes = HttpRoutes with { Plural = "grpcroutes", Kind = "GRPCRoute" };

        (await checker.MissingAsync([grpcRoutes, HttpRoutes], default)).Should().Equal(grpcRoutes);
    }

    [Fact]
    public async Task An_IngressClass_is_read_by_name_and_one_the_operator_may_not_read_does_not_hold_a_pool_back()
    {
        await using var api = await KubeApiEmulator.StartAsync();
        using var client = api.CreateClient();
        var checker = new ClusterPrerequisiteChecker(client, TimeProvider.System, NullLogger<ClusterPrerequisiteChecker>.Instance);
        using var forbidden = new k8s.Kubernetes(api.ClientConfiguration, new ForbidIngressClasses());
        var withoutRbac = new ClusterPrerequisiteChecker(forbidden, TimeProvider.System, NullLogger<ClusterPrerequisiteChecker>.Instance);

        (await checker.MissingAsync([Nginx], default)).Should().Equal(Nginx);
        (await withoutRbac.MissingAsync([Nginx], default)).Should().BeEmpty("403: the check cannot be made");
        api.Store.Create(new V1IngressClass { Metadata = new V1ObjectMeta { Name = "nginx" } });
        (await checker.MissingAsync([Nginx], default)).Should().BeEmpty();
    }

    [Fact]
    public void Retries_double_from_the_first_delay_to_the_maximum_per_pool_and_start_over_after_a_reset()
    {
        var retries = new PrerequisiteRetries(TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(5));
        var pool = new ObjectKey("games", "lobby");

        Enumerable.Range(0, 8).Select(_ => retries.Next(pool).TotalSeconds).Should().Equal(5, 10, 20, 40, 80, 160, 300, 300);
        retries.Next(new ObjectKey("games", "other")).Should().Be(TimeSpan.FromSeconds(5));
        retries.Reset(pool);
        retries.Next(pool).Should().Be(TimeSpan.FromSeconds(5));
    }

    private sealed class ForbidIngressClasses : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            request.RequestUri!.AbsolutePath.Contains("/ingressclasses/", StringComparison.Ordinal)
                ? Task.FromResult(new HttpResponseMessage(HttpStatusCode.Forbidden)
                {
                    Content = new StringContent("""{"kind":"Status","apiVersion":"v1","status":"Failure","reason":"Forbidden","code":403}"""),
                })
                : base.SendAsync(request, cancellationToken);
    }
}
