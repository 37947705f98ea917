using WsPool.Local.Tools;

namespace WsPool.Local.Tests;

public sealed class LocalToolsTests
{
    [Fact]
    public void A_tool_found_nowhere_is_an_error_that_names_make_deps()
    {
        var act = () => LocalTools.Require("wspool-no-such-tool");

        act.Should().Throw<FileNotFoundException>().WithMessage("*run `make deps`*");
    }

    [Fact]
    public void The_tools_local_mode_runs_are_provided_by_make_deps()
    {
        foreach (var tool in new[] { LocalTools.HAProxy, LocalTools.Nginx, LocalTools.RedisServer, LocalTools.Dnsmasq })
            LocalTools.Find(tool).Should().NotBeNull($"make deps provides {tool}");
    }
}
