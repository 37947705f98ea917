using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Microsoft.Extensions.DependencyInjection;
using Prometheus;
using WsPool.Core.Api;
using WsPool.Core.Intent;
using WsPool.Core.Rendering;
using WsPool.Testing;

namespace WsPool.Operator.Tests.Integration;

/// <summary>The operator keeps the cluster converged when the API fails, when nothing changes, and when someone else edits.</summary>
public sealed class ResilienceTests
{
    [Fact]
    public async Task Under_20_percent_injected_faults_of_every_kind_a_sequence_of_spec_edits_converges_to_the_last_edit()
    {
        await using var cluster = await TestCluster.StartAsync(seed: 7);
        cluster.Api.Faults.SlowResponseDelay = TimeSpan.FromMilliseconds(50);
        cluster.Api.Faults.WatchDropAfterMax = TimeSpan.FromSeconds(1);
        cluster.Api.Faults.AddAll(0.2);
        await cluster.StartOperatorAsync();

        var pool = TestCluster.LoadExample("examples/chat.yaml");
        cluster.Api.Store.Create(pool);
        var (ns, name) = (pool.Metadata.NamespaceProperty, pool.Metadata.Name);

        // Edits land while faults fire: replicas up and down, a timeout, then the broker removed and the affinity changed.
        // The pauses only pace the edits so that reconciles run between them; nothing is asserted after them.
        foreach (var replicas in new[] { 4, 6, 5 })
        {
            await Task.Delay(300);
            cluster.EditPool(ns, name, p => p.Spec.Replicas = replicas);
        }
        await Task.Delay(300);
        cluster.EditPool(ns, name, p => p.Spec.Timeouts.Tunnel = "2h");
        await Task.Delay(300);
        var last = cluster.EditPool(ns, name, p =>
        {
            p.Spec.Broker.Type = BrokerType.None;
            p.Spec.Replicas = 7;
        });

        var final = await cluster.WaitForReadyAsync(ns, name, TimeSpan.FromSeconds(90));

        final.Metadata.Generation.Should().Be(last.Metadata.Generation);
        var expected = PoolIntent.For(final, new RenderOptions()).Objects.Select(o => $"{o.Kind}/{o.Metadata.Name}").Order();
        cluster.OwnedBy(final).Select(o => $"{o["kind"]}/{o["metadata"]!["name"]}").Order().Should().Equal(expected,
            "the broker's objects were pruned and nothing is duplicated");
        var backend = cluster.Api.Store.Get<V1Deployment>(ns, PoolNames.Of(final).Backend)!;
        backend.Spec.Replicas.Should().Be(7);
        cluster.OperatorRequests().Should().Contain(r => r.Fault != null, "faults really were injected");
    }

    [Fact]
    public async Task At_steady_state_many_resyncs_issue_no_writes()
    {
        await using var cluster = await TestCluster.StartAsync();
        var op = await cluster.StartOperatorAsync(TestCluster.TestOptions() with { ResyncPeriod = TimeSpan.FromMilliseconds(500) });
        foreach (var example in new[] { "examples/chat.yaml", "examples/game-lobby.yaml", "examples/ticker.yaml" })
            await cluster.CreatePoolAsync(TestCluster.LoadExample(example));
        await cluster.WaitForAllReadyAsync();
        await WaitForNoWritesAsync(cluster); // the last status writes' watch events settle

        cluster.Api.Requests.Clear();
        var reconcilesBefore = ReconcileCount(op);
        // Five resyncs of every pool (the period is 500 ms; a busy machine only makes them come later).
        await Eventually.ValueAsync(() => ReconcileCount(op), n => n >= reconcilesBefore + 3 * 5, "every pool reconciled on five resyncs");

        cluster.OperatorRequests().Where(r => r.IsWrite).Should().BeEmpty();
    }

    [Fact]
    public async Task A_restarted_operator_finds_a_converged_cluster_converged_and_writes_nothing()
    {
        await using var cluster = await TestCluster.StartAsync();
        var first = await cluster.StartOperatorAsync();
        foreach (var example in new[] { "examples/chat.yaml", "examples/game-lobby.yaml", "examples/ticker.yaml" })
            await cluster.CreatePoolAsync(TestCluster.LoadExample(example));
        await cluster.WaitForAllReadyAsync();
        await WaitForNoWritesAsync(cluster);
        await first.StopAsync();

        // The new instance knows nothing of what the first applied: it compares the objects it lists with its intent.
        cluster.Api.Requests.Clear();
        var second = await cluster.StartOperatorAsync(TestCluster.TestOptions("op-2") with { ResyncPeriod = TimeSpan.FromMilliseconds(500) });
        await Eventually.ValueAsync(() => ReconcileCount(second), n => n >= 3 * 4, "every pool reconciled several times");

        cluster.OperatorRequests().Where(r => r.IsWrite).Should().BeEmpty();
    }

    [Fact]
    public async Task An_owned_object_edited_while_no_operator_ran_is_repaired_when_one_starts()
    {
        await using var cluster = await TestCluster.StartAsync();
        var first = await cluster.StartOperatorAsync();
        var pool = await cluster.CreatePoolAsync(TestCluster.LoadExample("examples/ticker.yaml"));
        var (ns, name) = (pool.Metadata.NamespaceProperty, pool.Metadata.Name);
        await cluster.WaitForReadyAsync(ns, name);
        await first.StopAsync();
        var service = cluster.Api.Store.Get<V1Service>(ns, name)!;
        var selector = new Dictionary<string, string>(service.Spec.Selector);
        service.Spec.Selector[PoolLabels.Instance] = "someone-else";
        cluster.Api.Store.Upsert(service);

        await cluster.StartOperatorAsync(TestCluster.TestOptions("op-2"));

        await WaitForSelectorAsync(cluster, ns, name, selector);
    }

    /// <summary>Waits until the operator has written nothing for a second: its last writes' watch events have come back.</summary>
    private static Task WaitForNoWritesAsync(TestCluster cluster) =>
        Eventually.ValueAsync(() => cluster.OperatorRequests().Where(r => r.IsWrite).MaxBy(r => r.Time),
            last => last is null || DateTimeOffset.UtcNow - last.Time >= TimeSpan.FromSeconds(1), "a second without operator writes",
            describe: last => $"{last!.Verb} {last.Resource}/{last.Subresource} {last.Namespace}/{last.Name} at {last.Time:HH:mm:ss.fff}");

    private static Task WaitForSelectorAsync(TestCluster cluster, string ns, string name, Dictionary<string, string> selector) =>
        Eventually.ValueAsync(() => cluster.Api.Store.Get<V1Service>(ns, name)!.Spec.Selector.OrderBy(p => p.Key).ToList(),
            current => current.SequenceEqual(selector.OrderBy(p => p.Key)), $"Service {name}'s selector repaired");

    private static double ReconcileCount(RunningOperator op)
    {
        var registry = op.Services.GetRequiredService<WsPool.Operator.Hosting.OperatorMetrics>().Registry;
        using var stream = new MemoryStream();
        registry.CollectAndExportAsTextAsync(stream).GetAwaiter().GetResult();
        var text = System.Text.Encoding.UTF8.GetString(stream.ToArray());
        return text.Split('\n')
            .Where(l => l.StartsWith("wspool_reconcile_total{", StringComparison.Ordinal))
            .Sum(l => double.Parse(l[(l.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task An_owned_object_edited_by_someone_else_is_repaired()
    {
        await using var cluster = await TestCluster.StartAsync();
        await cluster.StartOperatorAsync();
        var pool = await cluster.CreatePoolAsync(TestCluster.LoadExample("examples/ticker.yaml"));
        var (ns, name) = (pool.Metadata.NamespaceProperty, pool.Metadata.Name);
        await cluster.WaitForReadyAsync(ns, name);
        var service = cluster.Api.Store.Get<V1Service>(ns, name)!;
        var selector = new Dictionary<string, string>(service.Spec.Selector);

        // Someone points the Service at other pods by changing a selector label the operator manages.
        service.Spec.Selector[PoolLabels.Instance] = "someone-else";
        cluster.Api.Store.Upsert(service);

        await WaitForSelectorAsync(cluster, ns, name, selector);
    }

    [Fact]
    public async Task An_owned_object_deleted_by_someone_else_is_recreated()
    {
        await using var cluster = await TestCluster.StartAsync();
        await cluster.StartOperatorAsync();
        var pool = await cluster.CreatePoolAsync(TestCluster.LoadExample("examples/ticker.yaml"));
        var (ns, name) = (pool.Metadata.NamespaceProperty, pool.Metadata.Name);
        await cluster.WaitForReadyAsync(ns, name);
        var before = cluster.Api.Store.Get<V1Deployment>(ns, name)!;

        cluster.Api.Store.Delete<V1Deployment>(ns, name).Should().BeTrue();

        await Eventually.ValueAsync(() => cluster.Api.Store.Get<V1Deployment>(ns, name)?.Metadata.Uid,
            uid => uid is not null && uid != before.Metadata.Uid, $"Deployment {name} recreated (a uid other than {before.Metadata.Uid})");
    }

    [Fact]
    public async Task Deleting_a_pool_collects_everything_it_owned()
    {
        await using var cluster = await TestCluster.StartAsync();
        await cluster.StartOperatorAsync();
        var pool = await cluster.CreatePoolAsync(TestCluster.LoadExample("examples/chat.yaml"));
        var (ns, name) = (pool.Metadata.NamespaceProperty, pool.Metadata.Name);
        await cluster.WaitForReadyAsync(ns, name);
        cluster.OwnedBy(pool).Should().NotBeEmpty();

        await cluster.Client.CustomObjects.DeleteNamespacedCustomObjectAsync(WebSocketPool.Group, WebSocketPool.Version, ns,
            WebSocketPool.Plural, name);

        await Eventually.ValueAsync(() => cluster.OwnedBy(pool), owned => owned.Count == 0, "owned objects collected",
            describe: owned => string.Join(", ", owned.Select(o => $"{o["kind"]}/{o["metadata"]!["name"]}")));
        // Proves nothing is recreated: a window after the collection in which a wrong reconcile would apply again.
        await Task.Delay(500);
        cluster.OwnedBy(pool).Should().BeEmpty("the operator does not recreate objects of a deleted pool");
    }
}
