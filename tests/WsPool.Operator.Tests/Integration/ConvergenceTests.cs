using WsPool.Core.Intent;
using WsPool.Core.Rendering;

namespace WsPool.Operator.Tests.Integration;

/// <summary>Every example pool, applied to a cluster, converges: its objects exist and it reports Ready.</summary>
public sealed class ConvergenceTests
{
    public static TheoryData<string> Examples() =>
        new(Directory.GetFiles(Repo.Path("examples"), "*.yaml").Select(f => "examples/" + Path.GetFileName(f)).Order());

    [Theory]
    [MemberData(nameof(Examples))]
    public async Task Every_example_converges_with_owned_objects_Ready_status_and_one_Normal_event(string example)
    {
        await using var cluster = await TestCluster.StartAsync();
        await cluster.StartOperatorAsync();
        var created = await cluster.CreatePoolAsync(TestCluster.LoadExample(example));
        var (ns, name) = (created.Metadata.NamespaceProperty, created.Metadata.Name);

        var pool = await cluster.WaitForReadyAsync(ns, name);

        var expected = PoolIntent.For(pool, new RenderOptions()).Objects
            .Select(o => $"{o.Kind}/{o.Metadata.Name}").Order().ToList();
        var owned = cluster.OwnedBy(pool).Select(o => $"{o["kind"]}/{o["metadata"]!["name"]}").Order().ToList();
        expected.Should().NotBeEmpty();
        owned.Should().Equal(expected, "every rendered object exists with a controller reference to the pool");

        pool.Status!.ObservedGeneration.Should().Be(pool.Metadata.Generation);
        pool.Status.ReadyReplicas.Should().Be(pool.Status.DesiredReplicas);
        TestCluster.Condition(pool, "Degraded")!.Status.Should().Be("False");
        TestCluster.Condition(pool, "Progressing")!.Status.Should().Be("False");

        var events = await cluster.WaitForEventsAsync(pool, e => e.Count > 0, "an event");
        events.Should().ContainSingle(e => e.Type == "Normal")
            .Which.Reason.Should().Be("Reconciled");
    }
}
