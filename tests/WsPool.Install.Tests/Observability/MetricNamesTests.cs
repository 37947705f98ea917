using System.Text.Json;
using System.Text.RegularExpressions;
using WsPool.Install.Tests.Support;

namespace WsPool.Install.Tests.Observability;

/// <summary>Every metric the Grafana dashboard and the PrometheusRule read is one a real exporter emits.</summary>
public sealed partial class MetricNamesTests
{
    /// <summary>Series Prometheus writes itself for every scrape target.</summary>
    private static readonly string[] PrometheusSynthetic = ["up"];

    [Fact]
    public async Task Every_metric_in_the_dashboard_and_the_alerts_is_exported()
    {
        var exported = new HashSet<string>(PrometheusSynthetic, StringComparer.Ordinal);
        exported.UnionWith(Exposition.Names(await Exporters.OperatorAsync()));
        exported.UnionWith(Exposition.Names(await Exporters.HAProxyAsync()));
        exported.UnionWith(Exposition.Names(await Exporters.ChatServerAsync()));

        var used = DashboardExpressions().Concat(RuleExpressions()).SelectMany(PromQl.MetricNames).ToHashSet();

        used.Should().NotBeEmpty();
        used.Except(exported).Should().BeEmpty("every name must exist in what the operator, HAProxy or the chat-server export");
    }

    [Fact]
    public void The_dashboard_covers_pools_pods_balancer_sessions_and_reconciles()
    {
        var used = DashboardExpressions().SelectMany(PromQl.MetricNames).ToHashSet();

        used.Should().Contain(["websocket_connections", "haproxy_server_current_sessions", "haproxy_backend_active_servers",
            "wspool_reconcile_errors_total", "wspool_reconcile_duration_seconds_bucket",
            "wspool_pool_desired_replicas", "wspool_pool_ready_replicas", "wspool_pool_connections"]);
    }

    [Fact]
    public void The_rules_alert_on_capacity_scrape_failures_and_reconcile_errors()
    {
        var alerts = AlertName().Matches(File.ReadAllText(Repo.Chart("templates", "prometheusrule.yaml"))).Select(m => m.Groups[1].Value);

        alerts.Should().Contain(["WsPoolAtCapacity", "WsPoolScrapeFailing", "WsPoolReconcileErrors"]);
    }

    [Theory]
    [InlineData("sum by (namespace, pool) (rate(wspool_reconcile_total{result=\"error\"}[$__rate_interval]))", "wspool_reconcile_total")]
    [InlineData("histogram_quantile(0.99, sum by (le) (rate(a_bucket[5m])))", "a_bucket")]
    [InlineData("x / (y > 0) > {{ .Values.ratio }}", "x,y")]
    [InlineData("max(wspool_leader) < 1 and on(job) up == 0", "wspool_leader,up")]
    public void The_extractor_finds_metric_names_and_nothing_else(string expr, string expected)
    {
        PromQl.MetricNames(expr).Should().BeEquivalentTo(expected.Split(','));
    }

    private static IEnumerable<string> DashboardExpressions()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Repo.Chart("dashboards", "wspool.json")));
        var found = new List<string>();
        Collect(doc.RootElement, found);
        return found;
    }

    private static void Collect(JsonElement element, List<string> found)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var p in element.EnumerateObject())
                {
                    if (p.Name == "expr" && p.Value.ValueKind == JsonValueKind.String) found.Add(p.Value.GetString()!);
                    else if (p.Name == "query" && p.Value.ValueKind == JsonValueKind.Object && p.Value.TryGetProperty("query", out var q))
                        found.Add(LabelValues().Replace(q.GetString()!, "$1"));
                    else Collect(p.Value, found);
                }
                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray()) Collect(item, found);
                break;
        }
    }

    /// <summary>The expr blocks of the PrometheusRule template (a literal or a | block).</summary>
    private static IEnumerable<string> RuleExpressions()
    {
        var lines = File.ReadAllLines(Repo.Chart("templates", "prometheusrule.yaml"));
        for (var i = 0; i < lines.Length; i++)
        {
            var trimmed = lines[i].TrimStart();
            if (!trimmed.StartsWith("expr:", StringComparison.Ordinal)) continue;
            var value = trimmed["expr:".Length..].Trim();
            if (value != "|") { yield return value; continue; }
            var indent = lines[i].Length - trimmed.Length;
            var block = new List<string>();
            for (var j = i + 1; j < lines.Length && (lines[j].Trim().Length == 0 || lines[j].Length - lines[j].TrimStart().Length > indent); j++)
                block.Add(lines[j]);
            yield return string.Join('\n', block);
        }
    }

    [GeneratedRegex(@"- alert: (\w+)")] private static partial Regex AlertName();
    [GeneratedRegex(@"label_values\((.*),\s*\w+\)")] private static partial Regex LabelValues();
}
