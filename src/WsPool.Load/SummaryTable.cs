using System.Globalization;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace WsPool.Load;

/// <summary>The human views of a run: the live progress table and the final summary table.</summary>
internal static class SummaryTable
{
    public static IRenderable Progress(LoadOptions options, LoadSnapshot snapshot, TimeSpan elapsed)
    {
        var table = new Table().Border(TableBorder.Rounded).Title($"wsload → {Markup.Escape(options.Url.ToString())}");
        table.AddColumn("open").AddColumn("opened").AddColumn("failed").AddColumn("closed early").AddColumn("reconnects")
            .AddColumn("sent").AddColumn("received").AddColumn("phase").AddColumn("elapsed");
        table.AddRow(
            $"{snapshot.Open}/{options.Connections}", N(snapshot.Opened), N(snapshot.FailedTotal), N(snapshot.ClosedEarlyTotal),
            N(snapshot.Reconnects), N(snapshot.MessagesSent), N(snapshot.MessagesReceived),
            snapshot.RampDone ? "hold" : "ramp", $"{elapsed.TotalSeconds:F1}s");
        if (snapshot.OpenPerReplica.Count > 0)
            table.Caption(string.Join("  ", snapshot.OpenPerReplica.Select(p => $"{Markup.Escape(p.Key)}: {p.Value}")));
        return table;
    }

    public static IRenderable Summary(LoadSummary summary)
    {
        var table = new Table().Border(TableBorder.Rounded).Title("wsload summary");
        table.AddColumn("measure").AddColumn(new TableColumn("value"));
        void Row(string name, string value) => table.AddRow(Markup.Escape(name), Markup.Escape(value));

        Row("url", summary.Url);
        Row("connections asked", N(summary.Connections));
        Row("opened (incl. reconnects)", N(summary.Opened));
        Row("open at end of hold", N(summary.OpenAtEnd));
        Row("failed", Counts(summary.FailedTotal, summary.Failed));
        Row("closed early", Counts(summary.ClosedEarlyTotal, summary.ClosedEarly));
        Row("reconnects", N(summary.Reconnects));
        Row("per replica (handshakes)", Pairs(summary.Replicas));
        Row("per replica (open at end)", Pairs(summary.ReplicasAtEnd));
        Row("messages sent / received", $"{N(summary.MessagesSent)} / {N(summary.MessagesReceived)}");
        Row("echo latency p50/p95/p99", Latency(summary.EchoLatency));
        Row("handshake latency p50/p95/p99", Latency(summary.HandshakeLatency));
        Row("ramp", $"{summary.RampSeconds:F2}s, {summary.ConnectsPerSecond:F0} connects/s");
        Row("duration", $"{summary.DurationSeconds:F1}s{(summary.Stopped ? " (stopped early)" : "")}");
        return table;
    }

    private static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Counts(int total, IReadOnlyDictionary<string, int> byKey) =>
        total == 0 ? "0" : $"{N(total)} ({Pairs(byKey)})";

    private static string Pairs(IReadOnlyDictionary<string, int> counts) =>
        counts.Count == 0 ? "-" : string.Join(", ", counts.Select(p => $"{p.Key}: {N(p.Value)}"));

    private static string Latency(LatencySummary latency) =>
        latency.Count == 0 ? "-" : $"{latency.P50Ms:F2} / {latency.P95Ms:F2} / {latency.P99Ms:F2} ms ({N(latency.Count)} samples)";
}
