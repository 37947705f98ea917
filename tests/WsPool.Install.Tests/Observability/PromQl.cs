using System.Text.RegularExpressions;

namespace WsPool.Install.Tests.Observability;

/// <summary>
/// Pulls the metric names out of a PromQL expression: what is left once strings, label matchers, grouping clauses,
/// range selectors, Grafana variables, functions, keywords and numbers are taken away.
/// </summary>
internal static partial class PromQl
{
    private static readonly HashSet<string> Keywords =
    [
        "by", "without", "on", "ignoring", "group_left", "group_right", "bool", "and", "or", "unless", "offset",
        "inf", "nan",
    ];

    public static IReadOnlySet<string> MetricNames(string expr)
    {
        var text = TemplateAction().Replace(expr, " ");
        text = QuotedString().Replace(text, " ");
        text = LabelMatchers().Replace(text, " ");
        text = GroupingClause().Replace(text, " ");
        text = RangeSelector().Replace(text, " ");
        text = GrafanaVariable().Replace(text, " ");
        return Identifier().Matches(text)
            .Where(m => !IsFunctionCall(text, m) && !Keywords.Contains(m.Value.ToLowerInvariant()))
            .Select(m => m.Value)
            .ToHashSet();
    }

    private static bool IsFunctionCall(string text, Match m)
    {
        var rest = text.AsSpan(m.Index + m.Length).TrimStart();
        return rest.Length > 0 && rest[0] == '(';
    }

    [GeneratedRegex(@"\{\{.*?\}\}")] private static partial Regex TemplateAction();
    [GeneratedRegex("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'")] private static partial Regex QuotedString();
    [GeneratedRegex(@"\{[^{}]*\}")] private static partial Regex LabelMatchers();
    [GeneratedRegex(@"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)")] private static partial Regex GroupingClause();
    [GeneratedRegex(@"\[[^\]]*\]")] private static partial Regex RangeSelector();
    [GeneratedRegex(@"\$\{?\w+\}?")] private static partial Regex GrafanaVariable();
    [GeneratedRegex(@"(?<![\w.])[a-zA-Z_:][a-zA-Z0-9_:]*")] private static partial Regex Identifier();
}
