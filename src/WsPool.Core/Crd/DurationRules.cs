using k8s.Models;
using WsPool.Core.Api;
using WsPool.Core.Validation;

namespace WsPool.Core.Crd;

/// <summary>
/// The bound of a duration field (<see cref="DurationBounds"/>) as a CEL rule on the field itself, so the API server
/// refuses <c>tunnel: 0s</c> at spec.timeouts.tunnel with the message wspool gives. A pattern cannot say it: the
/// grammar allows several parts (1m30s), and only their sum is bounded.
/// </summary>
internal static class DurationRules
{
    /// <summary>The rule for the duration field at <paramref name="path"/>, or null when it has no bound.</summary>
    public static V1ValidationRule? Bound(string path)
    {
        if (!DurationBounds.ByPath.TryGetValue(path, out var bound)) return null;
        const string milliseconds = "self" + DurationAttribute.InMilliseconds;
        var min = (long)bound.Min.TotalMilliseconds;
        var max = (long)bound.Max.TotalMilliseconds;
        return new V1ValidationRule
        {
            // The server runs the rule even when the value breaks the pattern; wspool then reports the grammar only.
            Rule = $"!self.matches('{DurationAttribute.Pattern}') || "
                + (min > 0 ? $"({milliseconds} >= {min} && {milliseconds} <= {max})" : $"{milliseconds} <= {max}"),
            Message = DurationBounds.Message(bound),
            Reason = nameof(CelRuleReason.FieldValueInvalid),
        };
    }
}
