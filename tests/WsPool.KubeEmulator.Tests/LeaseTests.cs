using k8s.LeaderElection;
using k8s.LeaderElection.ResourceLock;
using WsPool.Testing;

namespace WsPool.KubeEmulator.Tests;

/// <summary>KubernetesClient's LeaderElector relies on Lease optimistic concurrency; these run it for real.</summary>
public sealed class LeaseTests
{
    private static LeaderElector Elector(KubeApiEmulator api, string identity) => new(new LeaderElectionConfig(
        new LeaseLock(api.CreateClient(), "kube-system", "wspool-operator", identity))
    {
        LeaseDuration = TimeSpan.FromSeconds(2),
        RenewDeadline = TimeSpan.FromSeconds(1),
        RetryPeriod = TimeSpan.FromMilliseconds(200),
    });

    [Fact]
    public async Task Exactly_one_of_two_electors_leads_and_the_other_takes_over_when_it_stops()
    {
        await using var api = await KubeApiEmulator.StartAsync();
        var leaders = new System.Collections.Concurrent.ConcurrentQueue<string>();
        using var a = Elector(api, "a");
        using var b = Elector(api, "b");
        a.OnStartedLeading += () => leaders.Enqueue("a");
        b.OnStartedLeading += () => leaders.Enqueue("b");
        using var stopA = new CancellationTokenSource();
        using var stopB = new CancellationTokenSource();
        var runA = a.RunUntilLeadershipLostAsync(stopA.Token);
        await Eventually.TrueAsync(a.IsLeader, "a leads", Support.Wait);
        var runB = b.RunUntilLeadershipLostAsync(stopB.Token);

        // Proves b does NOT take the lease while a renews it: a window of two retry periods and more.
        await Task.Delay(500);
        b.IsLeader().Should().BeFalse("a holds the lease");
        await stopA.CancelAsync();
        await Eventually.TrueAsync(b.IsLeader, "b takes over once a's lease expires", Support.Wait);
        // The elector raises OnStartedLeading just after IsLeader turns true: wait for the event, do not race it.
        await Eventually.ValueAsync(() => leaders.ToArray(), l => l.Length >= 2, "b's OnStartedLeading", Support.Wait);

        leaders.Should().Equal("a", "b");
        var lease = api.Store.Get<V1Lease>("kube-system", "wspool-operator")!;
        lease.Spec.HolderIdentity.Should().Be("b");
        await stopB.CancelAsync();
        await Task.WhenAll(runA, runB).WaitAsync(Support.Wait).ContinueWith(_ => { });
    }

    [Fact]
    public async Task A_lease_update_with_a_stale_resource_version_is_rejected()
    {
        await using var api = await KubeApiEmulator.StartAsync();
        var client = api.CreateClient();
        var lease = await client.CoordinationV1.CreateNamespacedLeaseAsync(new V1Lease
        {
            Metadata = new V1ObjectMeta { Name = "l" },
            Spec = new V1LeaseSpec { HolderIdentity = "a", LeaseDurationSeconds = 15 },
        }, "default");
        var stale = await client.CoordinationV1.ReadNamespacedLeaseAsync("l", "default");
        lease.Spec.HolderIdentity = "b";
        await client.CoordinationV1.ReplaceNamespacedLeaseAsync(lease, "l", "default");

        stale.Spec.HolderIdentity = "c";
        var act = () => client.CoordinationV1.ReplaceNamespacedLeaseAsync(stale, "l", "default");

        (await act.Should().ThrowAsync<HttpOperationException>()).Which.Response.StatusCode.Should().Be(System.Net.HttpStatusCode.Conflict);
    }
}
