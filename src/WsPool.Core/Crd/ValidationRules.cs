using k8s.Models;
using WsPool.Core.Api;

namespace WsPool.Core.Crd;

/// <summary>
/// Turns [CelRule] attributes into x-kubernetes-validations entries, checking on the way what the API server would
/// refuse the whole CRD for: a fieldPath that names no field of the object, a missing or multi-line message. (That a
/// rule survives the object's <c>default: {}</c> needs a CEL evaluator; the CRD tests check it.)
/// </summary>
internal static class ValidationRules
{
    public static V1ValidationRule Of(CelRuleAttribute rule, V1JSONSchemaProps node, string path)
    {
        if (string.IsNullOrWhiteSpace(rule.Rule)) throw new InvalidOperationException($"{path}: a [CelRule] has no rule");
        if (string.IsNullOrWhiteSpace(rule.Message) || rule.Message.Contains('\n'))
            throw new InvalidOperationException($"{path}: the rule {rule.Rule} needs a one-line message");
        if (rule.MessageExpression is { } expression && string.IsNullOrWhiteSpace(expression))
            throw new InvalidOperationException($"{path}: the rule {rule.Rule} has an empty messageExpression");
        if (rule.FieldPath is { } fieldPath && Resolve(fieldPath, node) is { } problem)
            throw new InvalidOperationException($"{path}: the fieldPath {fieldPath} of the rule {rule.Rule} {problem}");

        return new V1ValidationRule
        {
            Rule = rule.Rule,
            Message = rule.Message,
            MessageExpression = rule.MessageExpression,
            FieldPath = rule.FieldPath,
            Reason = rule.Reason.ToString(),
        };
    }

    /// <summary>
    /// Why a fieldPath does not resolve against the object's schema, or null when it does: like the API server, a
    /// sequence of <c>.name</c> or <c>['name']</c> steps, each naming a property (or, on a map, any key); no list indices.
    /// </summary>
    internal static string? Resolve(string fieldPath, V1JSONSchemaProps node)
    {
        if (!fieldPath.StartsWith('.') && !fieldPath.StartsWith('[')) return "must start with '.' or '['";
        var rest = fieldPath;
        var current = node;
        while (rest.Length > 0)
        {
            string name;
            if (rest.StartsWith("['", StringComparison.Ordinal))
            {
                var end = rest.IndexOf("']", 2, StringComparison.Ordinal);
                if (end < 0) return "has an unclosed ['...']";
                name = rest[2..end];
                rest = rest[(end + 2)..];
            }
            else if (rest.StartsWith('.'))
            {
                var end = rest.IndexOfAny(['.', '['], 1);
                name = end < 0 ? rest[1..] : rest[1..end];
                rest = end < 0 ? "" : rest[end..];
            }
            else return $"has an unexpected '{rest[0]}'";

            if (name.Length == 0) return "has an empty step";
            if (current.Properties is { } properties)
            {
                if (!properties.TryGetValue(name, out var child)) return $"does not refer to a field: {name} is no property";
                current = child;
            }
            else if (current.AdditionalProperties is V1JSONSchemaProps values) current = values;
            else return $"does not refer to a field: nothing under {name}";
        }
        return null;
    }
}
