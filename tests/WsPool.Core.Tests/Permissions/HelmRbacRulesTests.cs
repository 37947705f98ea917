using k8s;
using k8s.Models;
using WsPool.Core.Permissions;

namespace WsPool.Core.Tests.Permissions;

public class HelmRbacRulesTests
{
    [Theory]
    [InlineData(HelmRbacRules.RulesTemplate, RuleGroup.Namespaced)]
    [InlineData(HelmRbacRules.ClusterScopedTemplate, RuleGroup.ClusterScoped)]
    [InlineData(HelmRbacRules.LeaderElectionTemplate, RuleGroup.LeaderElection)]
    public void Each_named_template_is_the_yaml_list_of_its_groups_rules(string name, RuleGroup group)
    {
        var rules = KubernetesYaml.Deserialize<List<V1PolicyRule>>(Body(HelmRbacRules.ToTemplate(), name), strict: true);

        KubernetesJson.Serialize(rules).Should().Be(KubernetesJson.Serialize(RbacRules.PolicyRules(group)));
    }

    [Fact]
    public void Rule_lines_carry_no_template_actions()
    {
        var template = HelmRbacRules.ToTemplate();
        var bodies = new[] { HelmRbacRules.RulesTemplate, HelmRbacRules.ClusterScopedTemplate, HelmRbacRules.LeaderElectionTemplate }
            .Select(name => Body(template, name));

        bodies.Should().OnlyContain(body => !body.Contains("{{"));
    }

    /// <summary>The lines between {{- define "NAME" }} and the next {{- end }}.</summary>
    private static string Body(string template, string name)
    {
        var start = template.IndexOf($"{{{{- define \"{name}\" }}}}\n", StringComparison.Ordinal);
        start.Should().BeGreaterThanOrEqualTo(0, $"the template defines {name}");
        var body = template[(template.IndexOf('\n', start) + 1)..];
        return body[..body.IndexOf("{{- end }}", StringComparison.Ordinal)];
    }
}
