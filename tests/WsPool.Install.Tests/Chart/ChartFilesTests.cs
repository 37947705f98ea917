using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using k8s.Models;
using WsPool.Install.Tests.Support;

namespace WsPool.Install.Tests.Chart;

/// <summary>The chart's metadata, CRD, RBAC rules and template value references.</summary>
public sealed partial class ChartFilesTests
{
    [Fact]
    public void The_chart_crd_is_byte_identical_to_the_top_level_crd()
    {
        var chartCrd = File.ReadAllBytes(Repo.Chart("crds", "websocketpools.wspool.dev.yaml"));
        var topLevel = File.ReadAllBytes(Repo.Path("crds", "websocketpools.wspool.dev.yaml"));

        chartCrd.Should().Equal(topLevel, "copy crds/websocketpools.wspool.dev.yaml into charts/wspool-operator/crds/");
    }

    [Fact]
    public void The_chart_is_api_v2_and_its_app_version_is_the_operator_version()
    {
        var chart = (JsonObject)YamlJson.Parse(File.ReadAllText(Repo.Chart("Chart.yaml")))!;
        var operatorVersion = typeof(WsPool.Operator.Hosting.OperatorOptions).Assembly
            .GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion.Split('+')[0];

        chart["apiVersion"]!.GetValue<string>().Should().Be("v2");
        chart["appVersion"]!.GetValue<string>().Should().Be(operatorVersion);
    }

    [Fact]
    public void The_chart_rbac_rules_equal_the_operator_clusterrole()
    {
        var template = File.ReadAllText(Repo.Chart("templates", "_rbac-rules.tpl"));
        var chartRules = Define(template, "wspool-operator.rules").Concat(Define(template, "wspool-operator.clusterScopedRules"))
            .Concat(Define(template, "wspool-operator.leaderElectionRules"));

        Rbac.Permissions(chartRules).Should().Equal(Rbac.Permissions(Rbac.ReferenceClusterRole().Rules));
    }

    [Fact]
    public void Namespaced_roles_leave_the_lease_rule_to_the_operator_namespace()
    {
        var template = File.ReadAllText(Repo.Chart("templates", "_rbac-rules.tpl"));

        Rbac.Permissions(Define(template, "wspool-operator.rules")).Should().NotContain(p => p.StartsWith("coordination.k8s.io/"));
        Rbac.Permissions(Define(template, "wspool-operator.leaderElectionRules")).Should().OnlyContain(p => p.StartsWith("coordination.k8s.io/leases:"));
    }

    [Fact]
    public void Every_value_a_template_reads_is_declared_in_values_yaml()
    {
        var values = ChartValues.Defaults();
        var missing = Directory.EnumerateFiles(Repo.Chart("templates"))
            .SelectMany(file => ValuesReference().Matches(File.ReadAllText(file)).Select(m => (file: System.IO.Path.GetFileName(file), path: m.Groups[1].Value)))
            .Where(r => !Declared(values, r.path))
            .Select(r => $"{r.file}: .Values.{r.path}")
            .Distinct()
            .ToList();

        missing.Should().BeEmpty();
    }

    [Fact]
    public void The_chart_readme_tells_how_to_upgrade_the_crd_before_helm_upgrade()
    {
        var readme = File.ReadAllText(Repo.Chart("README.md"));

        readme.Should().Contain("kubectl apply --server-side -k crds/").And.Contain("helm upgrade").And.Contain("helm uninstall");
    }

    /// <summary>The YAML list between {{- define "NAME" }} and its {{- end }} (rule lines carry no template actions).</summary>
    private static List<V1PolicyRule> Define(string template, string name)
    {
        var start = template.IndexOf($"{{{{- define \"{name}\" }}}}", StringComparison.Ordinal);
        start.Should().BeGreaterThanOrEqualTo(0, $"the template defines {name}");
        var body = template[(template.IndexOf('\n', start) + 1)..];
        body = body[..body.IndexOf("{{- end }}", StringComparison.Ordinal)];
        return k8s.KubernetesYaml.Deserialize<List<V1PolicyRule>>(body, strict: true);
    }

    private static bool Declared(JsonObject values, string path)
    {
        JsonNode? node = values;
        foreach (var part in path.Split('.'))
        {
            if (node is not JsonObject obj || !obj.ContainsKey(part)) return false;
            node = obj[part];
        }
        return true;
    }

    [GeneratedRegex(@"\.Values\.([A-Za-z0-9_.]+[A-Za-z0-9_])")]
    private static partial Regex ValuesReference();
}
