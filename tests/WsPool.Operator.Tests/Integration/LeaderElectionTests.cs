using k8s.Models;
using Microsoft.Extensions.DependencyInjection;
using WsPool.Testing;

namespace WsPool.Operator.Tests.Integration;

public sealed class LeaderElectionTests
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(5);

    private static WsPool.Operator.Hosting.OperatorOptions Elected(string identity) => TestCluster.TestOptions(identity) with
    {
        LeaderElection = true,
        LeaseDuration = Lease,
        RenewDeadline = TimeSpan.FromSeconds(3),
        RetryPeriod = TimeSpan.FromMilliseconds(500),
    };

    private static bool IsOperatorWrite(KubeEmulator.Recording.RecordedRequest r) => r.IsWrite && r.Resource != "leases";

    [Fact]
    public async Task Of_two_instances_exactly_one_reconciles_and_stopping_it_hands_over_within_the_lease_duration()
    {
        await using var cluster = await TestCluster.StartAsync();
        var a = await cluster.StartOperatorAsync(Elected("op-a"));
        var b = await cluster.StartOperatorAsync(Elected("op-b"));
        await Eventually.TrueAsync(() => a.Service.IsLeader || b.Service.IsLeader, "a leader");
        // Proves the other instance does NOT also lead: a window of two retry periods after the first one won.
        await Task.Delay(1000);
        (a.Service.IsLeader ^ b.Service.IsLeader).Should().BeTrue("exactly one instance leads");
        var (leader, standby) = a.Service.IsLeader ? (a, b) : (b, a);

        var first = await cluster.CreatePoolAsync(TestCluster.LoadExample("examples/ticker.yaml"));
        await cluster.WaitForReadyAsync("markets", first.Metadata.Name);
        cluster.OperatorRequests(leader.Options.Identity).Should().Contain(r => IsOperatorWrite(r));
        cluster.OperatorRequests(standby.Options.Identity).Where(IsOperatorWrite).Should().BeEmpty("the standby only watches");
        // The standby's informers sync on their own schedule, not the leader's: wait for them rather than read once.
        await Eventually.TrueAsync(() => standby.Manager.CachesSynced, "the standby keeps warm caches to take over fast");

        await leader.StopAsync();
        await Eventually.TrueAsync(() => standby.Service.IsLeader, "the standby takes over within the lease duration", Lease);

        var second = TestCluster.LoadExample("examples/chat.yaml");
        await cluster.CreatePoolAsync(second);
        await cluster.WaitForReadyAsync("chat", second.Metadata.Name);
        cluster.OperatorRequests(standby.Options.Identity).Should().Contain(r => IsOperatorWrite(r));
    }

    [Fact]
    public async Task Losing_the_lease_stops_reconciling_at_once_and_ends_the_host()
    {
        await using var cluster = await TestCluster.StartAsync();
        var op = await cluster.StartOperatorAsync(Elected("op-a"));
        await Eventually.TrueAsync(() => op.Service.IsLeader, "leading");

        // Another holder takes the lease (as after a network partition): renewals now fail.
        var lease = cluster.Api.Store.Get<V1Lease>("kube-system", op.Options.LeaseName)!;
        lease.Spec.HolderIdentity = "intruder";
        lease.Spec.LeaseDurationSeconds = 3600;
        lease.Spec.RenewTime = DateTime.UtcNow;
        cluster.Api.Store.Upsert(lease);

        await Eventually.TrueAsync(() => op.Service.LostLeadership, "leadership lost", TimeSpan.FromSeconds(15));
        op.Service.IsLeader.Should().BeFalse();
        var lifetime = op.Services.GetRequiredService<Microsoft.Extensions.Hosting.IHostApplicationLifetime>();
        await Eventually.TrueAsync(() => lifetime.ApplicationStopping.IsCancellationRequested, "the host stops");

        cluster.Api.Requests.Clear();
        var pool = await cluster.CreatePoolAsync(TestCluster.LoadExample("examples/ticker.yaml"));
        // Proves the instance does NOT reconcile: a window in which a live one would have written (it takes well under a second).
        await Task.Delay(1500);
        cluster.OperatorRequests().Where(IsOperatorWrite).Should().BeEmpty("an instance that lost the lease writes nothing");
        TestCluster.Condition(cluster.GetPool("markets", pool.Metadata.Name), "Ready").Should().BeNull();
    }
}
