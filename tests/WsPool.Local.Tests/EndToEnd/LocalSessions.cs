using WsPool.Core.Loading;
using WsPool.Local.Session;

namespace WsPool.Local.Tests.EndToEnd;

/// <summary>Tests that start whole local sessions run one at a time: each runs an operator, a DNS server and pods.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class LocalSessions
{
    public const string Name = "local sessions";

    /// <summary>
    /// A session for one of the pool files next to these tests (EndToEnd/*.yaml), as `wspool local up -f` starts it:
    /// the file checked, the preflight passed, the state in <paramref name="state"/>.
    /// </summary>
    public static async Task<LocalSession> StartAsync(string poolFile, DirectoryInfo state)
    {
        var file = PoolFileChecker.Check(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "EndToEnd", poolFile)), poolFile);
        file.IsValid.Should().BeTrue(string.Join("; ", file.Problems));
        var options = new LocalOptions { PoolFile = poolFile, StateDirectory = state.FullName };
        var pools = file.Pools.Select(p => p.Pool).ToList();
        Preflight.Check(pools, options).Should().BeEmpty();
        return await LocalSession.StartAsync(options, pools, CancellationToken.None);
    }
}
