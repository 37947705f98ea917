using k8s.Models;
using WsPool.Core.Rendering;

namespace WsPool.Core.Tests.Rendering;

public class DisruptionBudgetTests
{
    [Fact]
    public void Voluntary_evictions_drain_one_backend_pod_at_a_time()
    {
        var pdb = TestPools.Render(TestPools.Minimal()).Single<V1PodDisruptionBudget>("demo");

        pdb.ApiVersion.Should().Be("policy/v1");
        pdb.Kind.Should().Be("PodDisruptionBudget");
        pdb.Spec.MaxUnavailable.Value.Should().Be("1");
        pdb.Spec.MinAvailable.Should().BeNull("maxUnavailable and minAvailable are exclusive");
    }

    [Fact]
    public void The_budget_covers_exactly_the_backend_pods()
    {
        var pdb = TestPools.Render(TestPools.Minimal()).Single<V1PodDisruptionBudget>("demo");

        pdb.Spec.Selector.MatchLabels.Should().Equal(PoolLabels.Selector("demo", PoolLabels.BackendComponent));
        pdb.Metadata.Labels.Should().Equal(PoolLabels.For("demo", PoolLabels.BackendComponent));
    }
}
