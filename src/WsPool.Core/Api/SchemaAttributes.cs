namespace WsPool.Core.Api;

// Attributes that carry schema facts the C# type system cannot express. The CRD generator reads them together with
// System.ComponentModel's [Description] and DataAnnotations' [Range], [RegularExpression], [Required], [MinLength],
// [MaxLength]; defaults come from the property initialisers of a freshly constructed object (one source of truth).

/// <summary>A CEL rule (x-kubernetes-validations) that spans several fields of the annotated class.</summary>
/// <remarks>
/// Guard every field the rule reads with <c>has()</c> (<c>!has(self.type) || self.type != 'Header' || has(self.header)</c>),
/// even one that always has a default: when it admits the CRD, the API server also runs the rule on the class's
/// <c>default: {}</c> exactly as written, without the nested defaults, and refuses the whole CRD when the rule reads a
/// field that {} lacks ("no such key", issue 20). On real objects the guard changes nothing: defaulting runs first.
/// </remarks>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true)]
public sealed class CelRuleAttribute(string rule, string message) : Attribute
{
    public string Rule { get; } = rule;

    /// <summary>The message when the rule fails; also what the validator reports, and the fallback of <see cref="MessageExpression"/>.</summary>
    public string Message { get; } = message;

    /// <summary>
    /// A CEL expression of type string that the API server reports instead of <see cref="Message"/> (with the values
    /// that broke the rule, say). It runs only when the rule is false, on the same <c>self</c>; when it fails or gives an
    /// empty or multi-line string the server falls back to <see cref="Message"/>. Guard its reads like the rule's.
    /// </summary>
    public string? MessageExpression { get; init; }

    /// <summary>
    /// The field the API server reports the failure at, relative to the annotated object (<c>.queryParam</c>): it must
    /// name a property of the class, or the server refuses the CRD (the generator checks). Unset reports at the object.
    /// </summary>
    public string? FieldPath { get; init; }

    /// <summary>The machine-readable reason (and HTTP status cause) the API server returns when the rule fails.</summary>
    public CelRuleReason Reason { get; init; } = CelRuleReason.FieldValueInvalid;
}

/// <summary>The reasons x-kubernetes-validations may carry (apiextensions.k8s.io/v1 ValidationRule.reason).</summary>
public enum CelRuleReason
{
    /// <summary>The value is wrong (the server's default reason).</summary>
    FieldValueInvalid,
    /// <summary>The field may not be set here.</summary>
    FieldValueForbidden,
    /// <summary>A field that must be set is missing.</summary>
    FieldValueRequired,
    /// <summary>A value appears twice where it must be unique.</summary>
    FieldValueDuplicate,
}

/// <summary>A kubectl printer column (additionalPrinterColumns) of the custom resource.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true)]
public sealed class PrinterColumnAttribute(string name, string type, string jsonPath) : Attribute
{
    public string Name { get; } = name;
    public string Type { get; } = type;
    public string JsonPath { get; } = jsonPath;
    public string? Description { get; init; }
    /// <summary>0 shows in every output; 1 only with <c>-o wide</c>.</summary>
    public int Priority { get; init; }
}

/// <summary>Marks a string that holds a duration such as <c>5s</c>, <c>1m30s</c> or <c>1h</c>.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class DurationAttribute : Attribute
{
    /// <summary>The grammar the CRD and the validator both enforce: one or more number+unit pairs.</summary>
    public const string Pattern = "^([0-9]{1,9}(ms|s|m|h|d))+$";

    /// <summary>
    /// The longest duration string (1d23h59m59s999ms is 16). The bound keeps the CEL rules that read durations within
    /// the API server's cost budget, and three 9-digit day counts, in milliseconds, within an int64.
    /// </summary>
    public const int MaxLength = 32;

    /// <summary>
    /// Appended to a CEL expression of a duration string, the duration in milliseconds (an int): CEL's duration()
    /// knows no days, so each number+unit part is converted and the parts summed (findAll and sum are Kubernetes CEL
    /// library functions). <c>self.timeout</c> + this is spec.drain.timeout in milliseconds.
    /// </summary>
    public const string InMilliseconds =
        ".findAll('[0-9]+(ms|s|m|h|d)').map(p, p.endsWith('ms') ? int(p.substring(0, p.size() - 2)) : " +
        "int(p.substring(0, p.size() - 1)) * (p.endsWith('s') ? 1000 : p.endsWith('m') ? 60000 : p.endsWith('h') ? 3600000 : 86400000)).sum()";
}

/// <summary>A list or map whose size the API bounds (maxItems / maxProperties).</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class MaxItemsAttribute(int max) : Attribute
{
    public int Max { get; } = max;
}

/// <summary>
/// The constraints on each string of a list: its grammar and length, and (with <see cref="Unique"/>) that no value
/// appears twice (x-kubernetes-list-type: set).
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class ItemsAttribute(string pattern, int maxLength) : Attribute
{
    public string Pattern { get; } = pattern;
    public int MaxLength { get; } = maxLength;
    public bool Unique { get; init; }
}
