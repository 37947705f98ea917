using WsPool.Core.Loading;
using WsPool.Local.Session;

namespace WsPool.Local.Tests.EndToEnd;

public sealed class DemoPoolTests
{
    [Fact]
    public void The_pool_make_demo_runs_is_valid_autoscaled_and_runnable_here()
    {
        var file = PoolFileChecker.Check(File.ReadAllText(Repository.Path("examples", "local", "chat.yaml")), "examples/local/chat.yaml");

        file.Problems.Should().BeEmpty();
        var pool = file.Pools.Single().Pool;
        pool.Spec.Scaling.Enabled.Should().BeTrue("the demo shows scaling on live connections");
        Preflight.Check([pool], new LocalOptions { PoolFile = "chat.yaml", StateDirectory = Path.Combine(Path.GetTempPath(), $"wspool-demo-{Guid.NewGuid():N}") })
            .Should().BeEmpty();
    }
}
