using System.Text;

namespace WsPool.Core.Permissions;

/// <summary>
/// Rules as YAML lists in the style people write RBAC by hand: flow sequences for groups, resources and verbs, and
/// each rule's reason as a comment above it (once for a run of rules with the same reason).
/// </summary>
internal static class RuleYaml
{
    /// <summary>Comments wrap before this column, like the rest of the repository's YAML.</summary>
    private const int Width = 118;

    public static void Write(StringBuilder yaml, IEnumerable<RbacRule> rules, string indent)
    {
        string? lastReason = null;
        foreach (var rule in rules)
        {
            if (rule.Reason != lastReason) Comment(yaml, rule.Reason, indent);
            lastReason = rule.Reason;
            yaml.Append(indent).Append("- apiGroups: ").Append(Flow([rule.Group])).Append('\n');
            yaml.Append(indent).Append("  resources: ").Append(Flow(rule.Resources)).Append('\n');
            yaml.Append(indent).Append("  verbs: ").Append(Flow(rule.Verbs)).Append('\n');
        }
    }

    /// <summary><paramref name="text"/> as `#` lines at <paramref name="indent"/>, wrapped at word boundaries.</summary>
    public static void Comment(StringBuilder yaml, string text, string indent)
    {
        var prefix = indent + "# ";
        var line = new StringBuilder();
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.Length > 0 && prefix.Length + line.Length + 1 + word.Length > Width)
            {
                yaml.Append(prefix).Append(line).Append('\n');
                line.Clear();
            }
            if (line.Length > 0) line.Append(' ');
            line.Append(word);
        }
        if (line.Length > 0) yaml.Append(prefix).Append(line).Append('\n');
    }

    // Every name here is a Kubernetes group, resource or verb: lowercase letters, digits, dots and slashes, which need
    // no escaping inside double quotes.
    private static string Flow(IEnumerable<string> items) => "[" + string.Join(", ", items.Select(i => $"\"{i}\"")) + "]";
}
