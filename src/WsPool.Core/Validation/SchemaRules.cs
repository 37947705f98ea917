using System.Collections;
using System.Collections.Concurrent;
using System.ComponentModel.DataAnnotations;
using System.Reflection;
using System.Text.Json.Serialization;
using WsPool.Core.Api;

namespace WsPool.Core.Validation;

/// <summary>
/// The rules the CRD schema states, read from the same attributes the CRD generator reads ([Required], [Range],
/// [RegularExpression], [MinLength], [MaxLength], [MaxItems], [Duration], [CelRule]), so the validator and the API
/// server can never disagree about them. Walks the spec's own API types; the Kubernetes types inside spec.template
/// are the API server's business and are checked by <see cref="TemplateRules"/> where wspool depends on them.
/// </summary>
internal static class SchemaRules
{
    public static void Check(WebSocketPool pool, List<ValidationError> errors)
    {
        if (pool.Spec is null)
        {
            errors.Add(new("spec", "required"));
            return;
        }
        Walk(pool.Spec, "spec", errors);
    }

    private static void Walk(object target, string path, List<ValidationError> errors)
    {
        var rules = TypeRules.Of(target.GetType());
        foreach (var cel in rules.CelRules)
            if (CelRuleChecks.ByRule.TryGetValue(cel.Rule, out var holds) && !holds(target))
                errors.Add(new(At(path, cel.FieldPath), CelRuleChecks.Explain(cel, target)));

        foreach (var property in rules.Properties)
            CheckProperty(property, property.Info.GetValue(target), FieldPath.Field(path, property.Name), errors);
    }

    /// <summary>
    /// Where the API server reports a failed rule: the object's path, followed by the rule's fieldPath when it has one
    /// (<c>.header</c> on spec.affinity is spec.affinity.header), so both name the same field.
    /// </summary>
    internal static string At(string path, string? fieldPath)
    {
        if (string.IsNullOrEmpty(fieldPath)) return path;
        foreach (var name in fieldPath.Split('.', StringSplitOptions.RemoveEmptyEntries)) path = FieldPath.Field(path, name);
        return path;
    }

    private static void CheckProperty(PropertyRules property, object? value, string path, List<ValidationError> errors)
    {
        if (value is null)
        {
            if (property.Required is not null || property.DeclaredNonNull) errors.Add(new(path, "required"));
            return;
        }

        if (value is string text)
        {
            CheckString(property, text, path, errors);
            return;
        }

        if (property.Range is { } range && value is int or long)
        {
            var number = Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture);
            var min = Convert.ToInt64(range.Minimum, System.Globalization.CultureInfo.InvariantCulture);
            var max = Convert.ToInt64(range.Maximum, System.Globalization.CultureInfo.InvariantCulture);
            if (number < min || number > max) errors.Add(new(path, $"must be between {min} and {max}"));
        }

        if (value is ICollection collection)
        {
            if (property.MinLength is { } minLength && collection.Count < minLength.Length)
                errors.Add(new(path, minLength.Length == 1 ? "must have at least 1 item" : $"must have at least {minLength.Length} items"));
            if (property.MaxItems is { } maxItems && collection.Count > maxItems.Max)
                errors.Add(new(path, $"must have at most {maxItems.Max} items"));
            if (property.MaxLength is { } maxLength && collection.Count > maxLength.Length)
                errors.Add(new(path, $"must have at most {maxLength.Length} items"));
            var index = 0;
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var item in collection)
            {
                var itemPath = FieldPath.Item(path, index);
                if (item is not null && IsApiType(item.GetType())) Walk(item, itemPath, errors);
                if (property.Items is { } items && item is string or null)
                {
                    var entry = (string?)item;
                    if (string.IsNullOrEmpty(entry) || entry.Length > items.MaxLength || !AllowList.Matches(items.Pattern, entry))
                        errors.Add(new(itemPath, GrammarMessages.For(items.Pattern) + $", at most {items.MaxLength} characters"));
                    else if (items.Unique && !seen.Add(entry))
                        errors.Add(new(itemPath, "is listed twice"));
                }
                index++;
            }
            return;
        }

        if (IsApiType(value.GetType())) Walk(value, path, errors);
    }

    private static void CheckString(PropertyRules property, string text, string path, List<ValidationError> errors)
    {
        if (text.Length == 0)
        {
            // An empty string is how a required string is left unset in YAML ("name: ''").
            if (property.Required is not null) errors.Add(new(path, "required"));
            else if (property.Duration is not null) errors.Add(new(path, GrammarMessages.Duration));
            else if (property.Pattern is { } p && !AllowList.Matches(p.Pattern, text))
                errors.Add(new(path, GrammarMessages.For(p.Pattern)));
            return;
        }

        if (property.MinLength is { } minLength && text.Length < minLength.Length)
            errors.Add(new(path, $"must be at least {minLength.Length} characters long"));
        var maxLength = property.MaxLength?.Length ?? (property.Duration is null ? (int?)null : DurationAttribute.MaxLength);
        if (text.Length > maxLength)
        {
            errors.Add(new(path, $"must be at most {maxLength} characters long"));
            return; // one message per value: a 10,000-character string need not also be matched against the grammar
        }

        if (property.Duration is not null)
        {
            if (!DurationParser.TryParse(text, out var duration))
                errors.Add(new(path, GrammarMessages.Duration));
            else if (DurationBounds.ByPath.TryGetValue(path, out var bound) && (duration < bound.Min || duration > bound.Max))
                errors.Add(new(path, DurationBounds.Message(bound)));
            return;
        }
        if (property.Pattern is { } pattern && !AllowList.Matches(pattern.Pattern, text))
            errors.Add(new(path, GrammarMessages.For(pattern.Pattern)));
    }

    private static bool IsApiType(Type type) =>
        type.IsClass && type != typeof(string) && type.Namespace == typeof(WebSocketPool).Namespace;

    /// <summary>
    /// The schema facts of one API type, read by reflection once per type: a reconcile validates every pool on every
    /// pass, and attribute lookups per property per pass were a visible share of the operator's CPU.
    /// </summary>
    private sealed record TypeRules(IReadOnlyList<CelRuleAttribute> CelRules, IReadOnlyList<PropertyRules> Properties)
    {
        private static readonly ConcurrentDictionary<Type, TypeRules> Cache = new();

        public static TypeRules Of(Type type) => Cache.GetOrAdd(type, static t => new TypeRules(
            t.GetCustomAttributes<CelRuleAttribute>().ToList(),
            t.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .OrderBy(p => p.MetadataToken)
                .Where(p => p.GetCustomAttribute<JsonPropertyNameAttribute>() is not null)
                .Select(PropertyRules.Of)
                .ToList()));
    }

    /// <summary>One property's JSON name and the validation attributes on it.</summary>
    private sealed record PropertyRules(
        PropertyInfo Info,
        string Name,
        bool DeclaredNonNull,
        RequiredAttribute? Required,
        RangeAttribute? Range,
        MinLengthAttribute? MinLength,
        MaxLengthAttribute? MaxLength,
        MaxItemsAttribute? MaxItems,
        DurationAttribute? Duration,
        RegularExpressionAttribute? Pattern,
        ItemsAttribute? Items)
    {
        public static PropertyRules Of(PropertyInfo p) => new(
            p,
            p.GetCustomAttribute<JsonPropertyNameAttribute>()!.Name,
            !p.PropertyType.IsValueType && new NullabilityInfoContext().Create(p).ReadState == NullabilityState.NotNull,
            p.GetCustomAttribute<RequiredAttribute>(),
            p.GetCustomAttribute<RangeAttribute>(),
            p.GetCustomAttribute<MinLengthAttribute>(),
            p.GetCustomAttribute<MaxLengthAttribute>(),
            p.GetCustomAttribute<MaxItemsAttribute>(),
            p.GetCustomAttribute<DurationAttribute>(),
            p.GetCustomAttribute<RegularExpressionAttribute>(),
            p.GetCustomAttribute<ItemsAttribute>());
    }
}
