using WsPool.Local.View;

namespace WsPool.Local.Tests.View;

public sealed class LoadBarTests
{
    [Theory]
    [InlineData(0, "··········|··········")]
    [InlineData(1, "■·········|··········")]
    [InlineData(2000, "■■■■■■■■■■|··········")]
    [InlineData(3000, "■■■■■■■■■■|■■■■■·····")]
    [InlineData(4000, "■■■■■■■■■■|■■■■■■■■■■")]
    [InlineData(9000, "■■■■■■■■■■|■■■■■■■■■■")]
    public void The_bar_fills_against_the_limit_with_the_target_marked(long connections, string expected)
    {
        LoadBar.Text(connections, target: 2000, limit: 4000).Should().Be(expected);
    }

    [Fact]
    public void Any_connection_shows_so_a_pod_with_one_is_never_drawn_empty()
    {
        LoadBar.Text(1, target: 2000, limit: 4000).Should().StartWith(LoadBar.Filled.ToString());
    }

    [Fact]
    public void At_the_limit_the_filled_cells_turn_red()
    {
        LoadBar.Markup(4000, 2000, 4000).Should().Contain("[red]").And.NotContain("[green]");
        LoadBar.Markup(3000, 2000, 4000).Should().Contain("[green]").And.Contain("[yellow]").And.NotContain("[red]");
    }
}
