using System.Globalization;
using k8s.Models;
using Spectre.Console;
using WsPool.Core.Api;
using WsPool.Core.Balancers;
using WsPool.Core.Status;

namespace WsPool.Cli;

/// <summary>Draws `wspool status` output: the pool table, and one pool's pods, last scaling decision and conditions.</summary>
internal static class StatusView
{
    public static void PoolTable(IAnsiConsole console, IReadOnlyList<WebSocketPool> pools)
    {
        var table = new Table().Border(TableBorder.Simple);
        foreach (var column in new[] { "NAMESPACE", "NAME", "BALANCER", "AFFINITY", "READY", "CONNECTIONS", "SCALING" })
            table.AddColumn(new TableColumn(column).NoWrap());
        foreach (var pool in pools)
        {
            var spec = pool.Spec ?? new WebSocketPoolSpec();
            table.AddRow(
                Cell(pool.Metadata?.NamespaceProperty ?? ""),
                Cell(pool.Metadata?.Name ?? ""),
                Cell(Balancer(spec)),
                Cell(Affinity(spec)),
                Cell(Replicas(pool)),
                Cell(Connections(pool)),
                Cell(spec.Scaling.Enabled ? $"auto {spec.MinReplicas}-{spec.MaxReplicas}" : "manual"));
        }
        console.Write(table);
    }

    public static void PoolDetail(IAnsiConsole console, WebSocketPool pool)
    {
        var spec = pool.Spec ?? new WebSocketPoolSpec();
        var status = pool.Status;
        console.WriteLine($"Pool:        {pool.Metadata?.NamespaceProperty}/{pool.Metadata?.Name}");
        console.WriteLine($"Balancer:    {Balancer(spec)}");
        foreach (var note in BalancerKinds.For(spec.Balancer).Notes(spec))
            console.WriteLine($"             note: {note}");
        console.WriteLine($"Affinity:    {Affinity(spec)}");
        console.WriteLine($"Replicas:    {Replicas(pool)} ready/desired" +
                          (spec.Scaling.Enabled ? $" (autoscaling {spec.MinReplicas}-{spec.MaxReplicas})" : ""));
        console.WriteLine($"Connections: {Connections(pool)} (per pod: target {spec.Connections.Target}, limit {spec.Connections.Limit})");
        if (status?.Rollout is { } rollout) console.WriteLine($"Rollout:     {Rollout(rollout)}");
        console.WriteLine();

        var pods = status?.Connections?.Pods ?? [];
        if (pods.Count == 0)
        {
            console.WriteLine("Pods: no connection counts reported yet.");
        }
        else
        {
            var table = new Table().Border(TableBorder.Simple);
            table.AddColumn(new TableColumn("POD").NoWrap());
            table.AddColumn(new TableColumn("CONNECTIONS").RightAligned().NoWrap());
            table.AddColumn(new TableColumn($"0 {ConnectionBar.TargetMark}target={spec.Connections.Target} limit={spec.Connections.Limit}").NoWrap());
            table.AddColumn(new TableColumn("OF LIMIT").RightAligned().NoWrap());
            foreach (var pod in pods)
            {
                var percent = spec.Connections.Limit > 0 ? 100.0 * pod.Connections / spec.Connections.Limit : 0;
                table.AddRow(
                    Cell(pod.Name),
                    Cell(pod.Connections.ToString(CultureInfo.InvariantCulture)),
                    Cell(ConnectionBar.Draw(pod.Connections, spec.Connections.Target, spec.Connections.Limit)),
                    Cell(percent.ToString("0", CultureInfo.InvariantCulture) + "%"));
            }
            console.Write(table);
        }

        var scaling = status?.Conditions?.FirstOrDefault(c => c.Type == PoolConditions.Scaling);
        console.WriteLine();
        console.WriteLine(scaling is null
            ? "Last scaling decision: none reported"
            : $"Last scaling decision: {scaling.Reason}: {scaling.Message} ({Age(scaling.LastTransitionTime)})");
        console.WriteLine();

        var conditions = status?.Conditions ?? [];
        if (conditions.Count == 0)
        {
            console.WriteLine("Conditions: none yet (the operator has not reported status).");
            return;
        }
        var table2 = new Table().Border(TableBorder.Simple);
        foreach (var column in new[] { "CONDITION", "STATUS", "REASON", "SINCE", "MESSAGE" })
            table2.AddColumn(new TableColumn(column));
        foreach (var c in conditions)
            table2.AddRow(Cell(c.Type), Cell(c.Status), Cell(c.Reason ?? ""), Cell(Age(c.LastTransitionTime)), Cell(c.Message ?? ""));
        console.Write(table2);
    }

    private static Markup Cell(string text) => new(Markup.Escape(text));

    private static string Balancer(WebSocketPoolSpec spec) => BalancerKinds.For(spec.Balancer).Describe(spec);

    private static string Affinity(WebSocketPoolSpec spec) => spec.Affinity.Type switch
    {
        AffinityType.Cookie => $"Cookie {spec.Affinity.Cookie?.Name ?? "WSPOOL"}",
        AffinityType.Header => $"Header {spec.Affinity.Header?.Name}",
        AffinityType.QueryParam => $"QueryParam {spec.Affinity.QueryParam?.Name}",
        var type => type.ToString(),
    };

    private static string Replicas(WebSocketPool pool)
    {
        var spec = pool.Spec ?? new WebSocketPoolSpec();
        var desired = pool.Status?.DesiredReplicas ?? spec.Replicas ?? spec.MinReplicas;
        return $"{pool.Status?.ReadyReplicas ?? 0}/{desired}";
    }

    /// <summary>One line: the phase, where the old revision stands, and the pace against its bound.</summary>
    private static string Rollout(RolloutStatus r) =>
        $"{r.Phase} to revision {r.Revision ?? "(not created yet)"}: {r.OldPods} old pod(s) holding {r.OldConnections?.ToString(CultureInfo.InvariantCulture) ?? "?"} connection(s), "
        + $"{r.ReconnectsPerSecond.ToString("0.#", CultureInfo.InvariantCulture)}/s moved (bound {r.MaxReconnectsPerSecond}/s)";

    private static string Connections(WebSocketPool pool) =>
        pool.Status?.Connections is { } c ? c.Total.ToString(CultureInfo.InvariantCulture) : "-";

    private static string Age(DateTime? since)
    {
        if (since is null) return "-";
        var age = DateTime.UtcNow - since.Value.ToUniversalTime();
        if (age < TimeSpan.Zero) age = TimeSpan.Zero;
        return age.TotalDays >= 1 ? $"{(int)age.TotalDays}d ago"
            : age.TotalHours >= 1 ? $"{(int)age.TotalHours}h ago"
            : age.TotalMinutes >= 1 ? $"{(int)age.TotalMinutes}m ago"
            : $"{(int)age.TotalSeconds}s ago";
    }
}
