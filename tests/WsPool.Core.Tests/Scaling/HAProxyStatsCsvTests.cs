using WsPool.Core.Scaling;

namespace WsPool.Core.Tests.Scaling;

public sealed class HAProxyStatsCsvTests
{
    // The shape HAProxy 2.6 writes (columns trimmed to the ones read plus neighbours, in its order).
    private const string Csv = """
        # pxname,svname,qcur,qmax,scur,smax,slim,status,weight,addr,cookie
        fe,FRONTEND,,,7,9,1000,OPEN,,,
        pool,ws1,0,0,5,6,100,UP,1,127.0.0.2:8080,
        pool,ws2,0,0,2,3,100,UP,1,127.0.0.3:8080,
        pool,ws3,0,0,0,0,,MAINT,1,,
        pool,BACKEND,0,0,7,9,100,UP,2,,

        """;

    [Fact]
    public void Reads_each_server_with_its_address_and_current_sessions()
    {
        var servers = HAProxyStatsCsv.ParseServers(Csv);

        servers.Should().BeEquivalentTo(new[]
        {
            new HAProxyServerStats("pool", "ws1", "127.0.0.2:8080", 5, "UP"),
            new HAProxyServerStats("pool", "ws2", "127.0.0.3:8080", 2, "UP"),
            new HAProxyServerStats("pool", "ws3", null, 0, "MAINT"),
        }, o => o.WithStrictOrdering());
    }

    [Fact]
    public void Without_a_header_it_says_what_is_missing() =>
        FluentActions.Invoking(() => HAProxyStatsCsv.ParseServers("pool,ws1,0\n"))
            .Should().Throw<FormatException>().WithMessage("*header*");
}
