using WsPool.Balancers.Tests.Support;
using WsPool.Core.Api;
using WsPool.Core.Balancers;
using WsPool.Core.Intent;
using WsPool.Core.Rendering;

namespace WsPool.Balancers.Tests;

/// <summary>The registry: every balancer a spec can name has exactly one kind, and each kind answers for itself.</summary>
public class BalancerKindsTests
{
    public static TheoryData<BalancerType, IngressController> EverySpecBalancer()
    {
        var data = new TheoryData<BalancerType, IngressController>();
        foreach (var type in Enum.GetValues<BalancerType>())
        {
            if (type != BalancerType.Ingress) data.Add(type, IngressController.IngressNginx);
            else foreach (var controller in Enum.GetValues<IngressController>()) data.Add(type, controller);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(EverySpecBalancer))]
    public void Every_balancer_type_and_ingress_controller_has_a_kind(BalancerType type, IngressController controller)
    {
        var balancer = new BalancerSpec { Type = type, Ingress = type == BalancerType.Ingress ? new IngressBalancerSpec { Controller = controller } : null };

        BalancerKinds.All.Should().Contain(BalancerKinds.For(balancer));
    }

    [Fact]
    public void No_two_spec_balancers_share_a_kind_and_every_kind_is_reachable()
    {
        var reached = EverySpecBalancer().Select(row => BalancerKinds.For(new BalancerSpec
        {
            Type = (BalancerType)row[0],
            Ingress = (BalancerType)row[0] == BalancerType.Ingress ? new IngressBalancerSpec { Controller = (IngressController)row[1] } : null,
        })).ToList();

        reached.Should().OnlyHaveUniqueItems().And.BeEquivalentTo(BalancerKinds.All);
    }

    [Fact]
    public void Only_the_managed_HAProxy_reports_connections_itself_so_only_it_defaults_to_the_balancer_source()
    {
        BalancerKinds.All.Where(k => k.DefaultMetricsSource == MetricsSource.Balancer).Should().Equal(BalancerKinds.HAProxy);
        BalancerKinds.MetricsSourceOf(Repo.Pool(s => s.Balancer.Type = BalancerType.HAProxy).Spec).Should().Be(MetricsSource.Balancer);
        BalancerKinds.MetricsSourceOf(Repo.Pool(s => s.Balancer.Type = BalancerType.Nginx).Spec).Should().Be(MetricsSource.Pods);
    }

    [Fact]
    public void A_metrics_source_set_in_the_spec_wins_over_the_kinds_default()
    {
        var pool = Repo.Pool(s => { s.Balancer.Type = BalancerType.HAProxy; s.Scaling.Metrics.Source = MetricsSource.Pods; });

        BalancerKinds.MetricsSourceOf(pool.Spec).Should().Be(MetricsSource.Pods);
    }

    [Fact]
    public void Only_the_managed_NGINX_follows_the_ready_endpoints()
    {
        BalancerKinds.All.Where(k => k.FollowsReadyEndpoints).Should().Equal(BalancerKinds.Nginx);
    }

    [Fact]
    public void The_generated_values_an_intent_needs_are_exactly_the_secrets_it_asks_the_operator_to_fill()
    {
        var pool = Repo.Pool(s =>
        {
            s.Affinity.Type = AffinityType.Cookie;
            s.Broker.Type = BrokerType.Managed;
        });

        var needed = PoolIntent.GeneratedValuesOf(pool);
        var asked = PoolIntent.For(pool, new RenderOptions()).Objects.OfType<k8s.Models.V1Secret>()
            .Select(s => new GeneratedValue(s.Metadata.Name, s.Metadata.Annotations[PoolAnnotations.GenerateKeys]));

        needed.Should().BeEquivalentTo(asked).And.HaveCount(2);
    }

    [Fact]
    public void With_every_generated_value_supplied_no_secret_is_left_for_the_operator_to_fill()
    {
        var pool = Repo.Pool(s => { s.Affinity.Type = AffinityType.Cookie; s.Broker.Type = BrokerType.Managed; });
        var values = PoolIntent.GeneratedValuesOf(pool).ToDictionary(v => v, v => "value-of-" + v.Key);

        var secrets = PoolIntent.For(pool, new RenderOptions { GeneratedValues = values }).Objects.OfType<k8s.Models.V1Secret>().ToList();

        secrets.Should().HaveCount(2).And.OnlyContain(s => s.Metadata.Annotations == null && s.Data.Count == 1);
    }
}
