using System.Net;
using k8s.Models;
using WsPool.Local.Node;

namespace WsPool.Local.Tests.Node.Units;

/// <summary>The small rules the node follows: variable expansion, restart backoff, addresses, grace periods.</summary>
public sealed class NodeRulesTests
{
    [Theory]
    [InlineData("$(A)-$(B)", "1-2")]
    [InlineData("$(MISSING)", "$(MISSING)")]
    [InlineData("$$(A)", "$(A)")]
    [InlineData("cost $5 $", "cost $5 $")]
    [InlineData("$(A", "$(A")]
    public void Variables_expand_as_kubernetes_expands_them(string input, string expected) =>
        PodEnvironment.Expand(input, name => name switch { "A" => "1", "B" => "2", _ => null }).Should().Be(expected);

    [Fact]
    public void Restarts_back_off_like_the_kubelet_immediately_then_doubling_to_the_cap_and_reset_after_a_long_run()
    {
        var backoff = new RestartBackoff(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(60));
        var short_ = TimeSpan.FromSeconds(1);

        Enumerable.Range(0, 6).Select(_ => backoff.Next(short_).TotalSeconds).Should().Equal(0, 10, 20, 40, 60, 60);
        backoff.Next(RestartBackoff.ResetAfter).Should().Be(TimeSpan.Zero);
        backoff.Next(short_).Should().Be(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void Addresses_start_at_127_0_0_2_skip_what_is_taken_or_in_use_and_are_handed_out_in_turn()
    {
        var busy = IPAddress.Parse("127.0.0.3");
        var addresses = new PodAddresses(ip => ip.Equals(busy));

        var a = addresses.Allocate("a");
        var b = addresses.Allocate("b");
        addresses.Release(a);
        var c = addresses.Allocate("c");

        a.ToString().Should().Be("127.0.0.2");
        b.ToString().Should().Be("127.0.0.4", "127.0.0.3 is in use by something else");
        c.ToString().Should().Be("127.0.0.5", "a released address is not handed out again at once");
        addresses.Taken.Should().BeEquivalentTo(new Dictionary<string, string> { ["127.0.0.4"] = "b", ["127.0.0.5"] = "c" });
    }

    [Fact]
    public void Addresses_ending_in_0_or_255_are_never_handed_out()
    {
        var addresses = new PodAddresses(_ => false);

        var all = Enumerable.Range(0, 300).Select(i => addresses.Allocate($"p{i}").GetAddressBytes()).ToList();

        all.Should().OnlyContain(b => b[3] != 0 && b[3] != 255);
        all.Select(b => new IPAddress(b).ToString()).Should().Contain("127.0.1.1").And.OnlyHaveUniqueItems();
    }

    [Theory]
    [InlineData(null, null, null, 30)]
    [InlineData(null, null, 90L, 90)]
    [InlineData("deleting", 45L, 90L, 45)]
    [InlineData("deleting", 0L, 90L, 2)]
    public void The_grace_period_is_the_deletions_else_the_pods_never_below_two_seconds(string? deleting, long? deletionGrace, long? specGrace, int seconds)
    {
        var pod = new V1Pod
        {
            Metadata = new V1ObjectMeta { DeletionTimestamp = deleting is null ? null : DateTime.UtcNow, DeletionGracePeriodSeconds = deletionGrace },
            Spec = new V1PodSpec { TerminationGracePeriodSeconds = specGrace },
        };

        PodTermination.GraceOf(pod).Should().Be(TimeSpan.FromSeconds(seconds));
    }
}
