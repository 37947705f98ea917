using k8s.Models;
using WsPool.Core.Api;

namespace WsPool.Operator.Tests.Integration;

public sealed class InvalidSpecTests
{
    /// <summary>The label key the operator selects the pool's pods by, which a template may not set.</summary>
    private const string OwnedLabel = "app.kubernetes.io/instance";

    /// <summary>
    /// A pool the API server admits (the CRD carries every rule it can) but the operator refuses with two mistakes
    /// only wspool checks: a template label the operator owns, and a shed port that is the WebSocket port.
    /// examples/invalid/ no longer serves here: the API server refuses those pools at once.
    /// </summary>
    public static WebSocketPool AdmittedButInvalid()
    {
        var pool = TestCluster.LoadExample("examples/ticker.yaml");
        pool.Metadata.Name = "broken";
        pool.Metadata.NamespaceProperty = "default";
        pool.Spec.Template.Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { [OwnedLabel] = "other" } };
        pool.Spec.Scaling.Enabled = true;
        pool.Spec.Scaling.Rebalance.Enabled = true;
        pool.Spec.Scaling.Rebalance.AdminPort = "ws";
        return pool;
    }

    [Fact]
    public async Task An_invalid_pool_gets_Ready_False_InvalidSpec_with_every_message_a_Warning_and_no_objects()
    {
        await using var cluster = await TestCluster.StartAsync();
        await cluster.StartOperatorAsync();
        var pool = await cluster.CreatePoolAsync(AdmittedButInvalid());
        var (ns, name) = (pool.Metadata.NamespaceProperty, pool.Metadata.Name);

        var reported = await cluster.WaitForPoolAsync(ns, name, p => TestCluster.Condition(p, "Ready")?.Reason == "InvalidSpec",
            "Ready reason InvalidSpec");
        var ready = TestCluster.Condition(reported, "Ready")!;
        ready.Status.Should().Be("False");
        ready.Message.Should().Contain($"spec.template.metadata.labels[{OwnedLabel}]").And.Contain("spec.scaling.rebalance.adminPort");
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

        // A mistake the API server lets through (min > max would be refused at admission): a label the operator owns.
        cluster.EditPool(ns, name, p => p.Spec.Template.Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { [OwnedLabel] = "other" } });
        await cluster.WaitForPoolAsync(ns, name, p => TestCluster.Condition(p, "Ready")?.Reason == "InvalidSpec", "Ready reason InvalidSpec");
        // Proves the objects are NOT changed: a window after the status write in which a wrong apply would show.
        await Task.Delay(500);
        Versions(cluster, pool).Should().Equal(versionsBefore, "objects from the last valid spec stay as they are");

        var fixedPool = cluster.EditPool(ns, name, p => { p.Spec.Template.Metadata = null; p.Spec.Replicas = 3; });
        var recovered = await cluster.WaitForReadyAsync(ns, name);
        recovered.Status!.ObservedGeneration.Should().Be(fixedPool.Metadata.Generation);
        cluster.Api.Store.Get<V1Deployment>(ns, name)!.Spec.Replicas.Should().Be(3);
    }

    private static List<string> Versions(TestCluster cluster, WebSocketPool pool) =>
        cluster.OwnedBy(pool).Select(o => $"{o["kind"]}/{o["metadata"]!["name"]}@{o["metadata"]!["resourceVersion"]}").Order().ToList();
}
