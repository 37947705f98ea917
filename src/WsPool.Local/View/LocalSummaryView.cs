using System.Globalization;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace WsPool.Local.View;

/// <summary>
/// The closing table of <c>make demo</c>: one row per figure of a <see cref="LocalSummary"/>, with what a good run
/// looks like beside the ones that should be zero. Pure, like <see cref="LocalView"/>.
/// </summary>
public static class LocalSummaryView
{
    public static IRenderable Render(LocalSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        var table = new Table().Border(TableBorder.Rounded).Title("[bold]wspool local: summary[/]");
        table.AddColumn(new TableColumn("").NoWrap());
        table.AddColumn(new TableColumn("").RightAligned().NoWrap());
        table.AddColumn(new TableColumn("").NoWrap());
        table.HideHeaders();
        table.AddRow(Cell("peak connections"), Cell(Number(summary.PeakConnections)), Cell(""));
        table.AddRow(Cell("pods (min / max)"), Cell($"{Number(summary.MinPods)} / {Number(summary.MaxPods)}"), Cell(""));
        table.AddRow(Cell("refused connections"), Zero(summary.Refused), Cell("[grey]should be 0[/]"));
        table.AddRow(Cell("abrupt closes"), Zero(summary.AbruptCloses), Cell("[grey]should be 0: scale-down drains[/]"));
        table.AddRow(Cell("balancer reloads"), Zero(summary.BalancerReloads), Cell("[grey]should be 0: pods are found through DNS[/]"));
        table.AddRow(Cell("surge to scaling decision"),
            Cell(summary.SurgeToDecision is { } t ? t.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s" : "[yellow]no decision[/]"),
            Cell(""));
        return table;
    }

    private static Markup Zero(long value) => Cell(value == 0 ? "[green]0[/]" : $"[red]{Number(value)}[/]");

    private static Markup Cell(string markup) => new(markup);

    private static string Number(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
