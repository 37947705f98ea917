using System.Globalization;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace WsPool.Local.View;

/// <summary>
/// The live terminal view of <c>wspool local up</c>, drawn from a <see cref="LocalSnapshot"/>: the URL and the pool, one
/// row per pod with its connections against target and limit, replicas and warm capacity, the latest scaling
/// decisions, and the balancer's reload count. Pure: the same snapshot always draws the same thing, so the caller owns
/// the refresh (e.g. <c>AnsiConsole.Live(LocalView.Render(s)).Start(ctx =&gt; ... ctx.UpdateTarget(LocalView.Render(next)))</c>).
/// </summary>
public static class LocalView
{
    /// <summary>How many scaling decisions are listed.</summary>
    public const int DecisionsShown = 5;

    public static IRenderable Render(LocalSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        return new Rows(
            Header(snapshot.Pool),
            Replicas(snapshot),
            Pods(snapshot),
            Decisions(snapshot),
            Reloads(snapshot.BalancerReloads));
    }

    private static Markup Header(PoolSnapshot pool) =>
        new($"[bold]wspool local[/]  pool [bold]{Esc(pool.Namespace)}/{Esc(pool.Name)}[/]  connect to [bold underline]{Esc(pool.Url)}[/]");

    private static IRenderable Replicas(LocalSnapshot s)
    {
        var pool = s.Pool;
        var draining = s.DrainingPods > 0
            ? $" · draining: {Plural(s.DrainingPods, "pod")}, {Plural(s.DrainingConnections, "connection")} left"
            : "";
        return new Rows(
            new Markup($"replicas {Number(pool.DesiredReplicas)} desired / {Number(pool.ReadyReplicas)} ready " +
                       $"(min {Number(pool.MinReplicas)}, max {Number(pool.MaxReplicas)}) · per pod target {Number(pool.TargetPerPod)}, " +
                       $"limit {Number(pool.LimitPerPod)}"),
            new Markup($"connections {Number(s.TotalConnections)} · warm capacity {Number(s.WarmCapacity)}{draining}"));
    }

    private static IRenderable Pods(LocalSnapshot s)
    {
        if (s.Pods.Count == 0) return new Markup("[grey]no pods yet[/]");
        var table = new Table().Border(TableBorder.Simple);
        table.AddColumn(new TableColumn("POD").NoWrap());
        table.AddColumn(new TableColumn("IP").NoWrap());
        table.AddColumn(new TableColumn("STATE").NoWrap());
        table.AddColumn(new TableColumn("CONNECTIONS").RightAligned().NoWrap());
        // The bar's legend: its width is the limit, the mark is the target.
        table.AddColumn(new TableColumn($"LOAD ({LoadBar.Target} target {Number(s.Pool.TargetPerPod)}, end limit {Number(s.Pool.LimitPerPod)})").NoWrap());
        table.AddColumn(new TableColumn("RESTARTS").RightAligned().NoWrap());
        foreach (var pod in s.Pods.OrderBy(p => p.IsTerminating).ThenBy(p => p.Name, StringComparer.Ordinal))
        {
            table.AddRow(
                new Markup(Esc(pod.Name)),
                new Markup(Esc(pod.Ip ?? "-")),
                new Markup(State(pod, s.Time)),
                new Markup(Number(pod.Connections)),
                new Markup(LoadBar.Markup(pod.Connections, s.Pool.TargetPerPod, s.Pool.LimitPerPod)),
                new Markup(pod.Restarts > 0 ? $"[yellow]{Number(pod.Restarts)}[/]" : "0"));
        }
        return table;
    }

    /// <summary>What a pod is doing, in the words a user looks for: ready, starting, draining with what is left.</summary>
    private static string State(PodSnapshot pod, DateTimeOffset now)
    {
        if (pod.TerminatingSince is { } since)
        {
            var seconds = Seconds(now - since);
            return pod.Connections > 0
                ? $"[yellow]draining[/] {Number(pod.Connections)} left · {seconds}"
                : $"[grey]terminating[/] · {seconds}";
        }
        return pod.Phase switch
        {
            "Running" when pod.Ready => "[green]ready[/]",
            "Running" => "[yellow]starting[/]",
            "Pending" => "[grey]pending[/]",
            "Failed" => "[red]failed[/]",
            var phase => Esc(phase.ToLowerInvariant()),
        };
    }

    private static IRenderable Decisions(LocalSnapshot s)
    {
        var latest = s.Decisions.OrderByDescending(d => d.Time).Take(DecisionsShown).ToList();
        if (latest.Count == 0) return new Markup("scaling decisions: [grey]none yet[/]");
        var grid = new Grid();
        grid.AddColumn(new GridColumn().NoWrap().PadRight(2));
        grid.AddColumn(new GridColumn().NoWrap().PadRight(2));
        grid.AddColumn(new GridColumn());
        foreach (var d in latest)
            grid.AddRow(new Markup($"{Seconds(s.Time - d.Time)} ago"), new Markup($"[bold]{Esc(d.Reason)}[/]"), new Markup(Esc(d.Message)));
        return new Rows(new Markup("scaling decisions (newest first):"), grid);
    }

    private static Markup Reloads(int reloads) => reloads == 0
        ? new Markup("balancer reloads [green]0[/] (pods are found through DNS: scaling needs no reload)")
        : new Markup($"balancer reloads [red]{Number(reloads)}[/] (expected 0 while scaling: pods are found through DNS)");

    private static string Number(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Plural(long count, string noun) => $"{Number(count)} {noun}{(count == 1 ? "" : "s")}";

    /// <summary>Whole seconds, never negative (a clock that moved back shows 0s).</summary>
    private static string Seconds(TimeSpan span) =>
        ((long)Math.Max(0, Math.Floor(span.TotalSeconds))).ToString(CultureInfo.InvariantCulture) + "s";

    private static string Esc(string text) => Spectre.Console.Markup.Escape(text);
}
