using k8s.Models;
using WsPool.Core.Api;

namespace WsPool.Operator.Tests.Integration;

public sealed class InvalidSpecTests
{
    [Fact]
    public async Task An_invalid_pool_gets_Ready_False_InvalidSpec_with_every_message_a_Warning_and_no_objects()
    {
        await using var cluster = await TestCluster.StartAsync();
        await cluster.StartOperatorAsync();
        // The API server refuses this pool today; it can exist only as written under an older, looser CRD.
        var pool = await cluster.Api.Store.WithLooserCrdAsync(TestCluster.PoolCrd,
            () => cluster.CreatePoolAsync(TestCluster.LoadExample("examples/invalid/three-mistakes.yaml")));
        var (ns, name) = (pool.Metadata.NamespaceProperty, pool.Metadata.Name);

        var reported = await cluster.WaitForPoolAsync(ns, name, p => TestCluster.Condition(p, "Ready")?.Reason == "InvalidSpec",
            "Ready reason InvalidSpec");
        var ready = TestCluster.Condition(reported, "Ready")!;
        ready.Status.Should().Be("False");
        ready.Message.Should().Contain("minReplicas").And.Contain("spec.connections").And.Contain("spec.timeouts.tunnel");
        var events = await cluster.WaitForEventsAsync(pool, e => e.Count > 0, "an event");
        events.Should().ContainSingle().Which.Should().Match<Eventsv1Event>(e => e.Type == "Warning" && e.Reason == "InvalidSpec");
        cluster.OwnedBy(pool).Should().BeEmpty();
    }

    [Fact]
    public async Task Breaking_a_valid_pool_leaves_its_objects_alone_and_fixing_it_recovers()
    {
        await using var cluster = await TestCluster.StartAsync();
        await cluster.StartOperatorAsync();
        var pool = await cluster.CreatePoolAsync(TestCluster.LoadExample("examples/ticker.yaml"));
        var (ns, name) = (pool.Metadata.NamespaceProperty, pool.Metadata.Name);
        await cluster.WaitForReadyAsync(ns, name);
        var versionsBefore = Versions(cluster, pool);

        await cluster.Api.Store.WithLooserCrdAsync(TestCluster.PoolCrd,
            () => Task.FromResult(cluster.EditPool(ns, name, p => { p.Spec.MinReplicas = 9; p.Spec.MaxReplicas = 2; })));
        await cluster.WaitForPoolAsync(ns, name, p => TestCluster.Condition(p, "Ready")?.Reason == "InvalidSpec", "Ready reason InvalidSpec");
        // Proves the objects are NOT changed: a window after the status write in which a wrong apply would show.
        await Task.Delay(500);
        Versions(cluster, pool).Should().Equal(versionsBefore, "objects from the last valid spec stay as they are");

        var fixedPool = cluster.EditPool(ns, name, p => { p.Spec.MinReplicas = 1; p.Spec.MaxReplicas = 10; p.Spec.Replicas = 3; });
        var recovered = await cluster.WaitForReadyAsync(ns, name);
        recovered.Status!.ObservedGeneration.Should().Be(fixedPool.Metadata.Generation);
        cluster.Api.Store.Get<V1Deployment>(ns, name)!.Spec.Replicas.Should().Be(3);
    }

    private static List<string> Versions(TestCluster cluster, WebSocketPool pool) =>
        cluster.OwnedBy(pool).Select(o => $"{o["kind"]}/{o["metadata"]!["name"]}@{o["metadata"]!["resourceVersion"]}").Order().ToList();
}
