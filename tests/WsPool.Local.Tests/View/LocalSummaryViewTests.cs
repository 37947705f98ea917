using WsPool.Local.View;

namespace WsPool.Local.Tests.View;

public sealed class LocalSummaryViewTests
{
    private static readonly LocalSummary Clean = new()
    {
        PeakConnections = 12_345,
        MinPods = 2,
        MaxPods = 9,
        Refused = 0,
        AbruptCloses = 0,
        BalancerReloads = 0,
        SurgeToDecision = TimeSpan.FromSeconds(2.34),
    };

    private static string Draw(LocalSummary summary) => ConsoleText.Of(LocalSummaryView.Render(summary));

    [Fact]
    public void Each_figure_is_a_row_a_user_can_read()
    {
        var text = Draw(Clean);

        ConsoleText.LineWith(text, "peak connections").Should().Contain("12,345");
        ConsoleText.LineWith(text, "pods (min / max)").Should().Contain("2 / 9");
        ConsoleText.LineWith(text, "refused connections").Should().MatchRegex(@"refused connections\s+│\s+0\b");
        ConsoleText.LineWith(text, "abrupt closes").Should().MatchRegex(@"abrupt closes\s+│\s+0\b");
        ConsoleText.LineWith(text, "balancer reloads").Should().MatchRegex(@"balancer reloads\s+│\s+0\b");
        ConsoleText.LineWith(text, "surge to scaling decision").Should().Contain("2.3 s");
    }

    [Fact]
    public void Refusals_and_abrupt_closes_show_their_counts()
    {
        var text = Draw(Clean with { Refused = 1_204, AbruptCloses = 3 });

        ConsoleText.LineWith(text, "refused connections").Should().Contain("1,204");
        ConsoleText.LineWith(text, "abrupt closes").Should().MatchRegex(@"\b3\b");
    }

    [Fact]
    public void A_surge_that_brought_no_decision_says_so()
    {
        ConsoleText.LineWith(Draw(Clean with { SurgeToDecision = null }), "surge to scaling decision").Should().Contain("no decision");
    }
}
