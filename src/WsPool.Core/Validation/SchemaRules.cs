using System.Collections;
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
        var type = target.GetType();
        foreach (var cel in type.GetCustomAttributes<CelRuleAttribute>())
            if (CelRuleChecks.ByRule.TryGetValue(cel.Rule, out var holds) && !holds(target))
                errors.Add(new(path, cel.Message));

        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).OrderBy(p => p.MetadataToken))
        {
            if (property.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name is not { } name) continue;
            var fieldPath = FieldPath.Field(path, name);
            CheckProperty(property, property.GetValue(target), fieldPath, errors);
        }
    }

    private static void CheckProperty(PropertyInfo property, object? value, string path, List<ValidationError> errors)
    {
        if (value is null)
        {
            var declaredNonNull = !property.PropertyType.IsValueType
                && new NullabilityInfoContext().Create(property).ReadState == NullabilityState.NotNull;
            if (property.GetCustomAttribute<RequiredAttribute>() is not null || declaredNonNull)
                errors.Add(new(path, "required"));
            return;
        }

        if (value is string text)
        {
            CheckString(property, text, path, errors);
            return;
        }

        if (property.GetCustomAttribute<RangeAttribute>() is { } range && value is int or long)
        {
            var number = Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture);
            var min = Convert.ToInt64(range.Minimum, System.Globalization.CultureInfo.InvariantCulture);
            var max = Convert.ToInt64(range.Maximum, System.Globalization.CultureInfo.InvariantCulture);
            if (number < min || number > max) errors.Add(new(path, $"must be between {min} and {max}"));
        }

        if (value is ICollection collection)
        {
            if (property.GetCustomAttribute<MinLengthAttribute>() is { } minLength && collection.Count < minLength.Length)
                errors.Add(new(path, minLength.Length == 1 ? "must have at least 1 item" : $"must have at least {minLength.Length} items"));
            if (property.GetCustomAttribute<MaxItemsAttribute>() is { } maxItems && collection.Count > maxItems.Max)
                errors.Add(new(path, $"must have at most {maxItems.Max} items"));
            if (property.GetCustomAttribute<MaxLengthAttribute>() is { } maxLength && collection.Count > maxLength.Length)
                errors.Add(new(path, $"must have at most {maxLength.Length} items"));
            var index = 0;
            foreach (var item in collection)
            {
                if (item is not null && IsApiType(item.GetType())) Walk(item, FieldPath.Item(path, index), errors);
                index++;
            }
            return;
        }

        if (IsApiType(value.GetType())) Walk(value, path, errors);
    }

    private static void CheckString(PropertyInfo property, string text, string path, List<ValidationError> errors)
    {
        if (text.Length == 0)
        {
            // An empty string is how a required string is left unset in YAML ("name: ''").
            if (property.GetCustomAttribute<RequiredAttribute>() is not null) errors.Add(new(path, "required"));
            else if (property.GetCustomAttribute<DurationAttribute>() is not null) errors.Add(new(path, GrammarMessages.Duration));
            else if (property.GetCustomAttribute<RegularExpressionAttribute>() is { } p && !AllowList.Matches(p.Pattern, text))
                errors.Add(new(path, GrammarMessages.For(p.Pattern)));
            return;
        }

        if (property.GetCustomAttribute<MinLengthAttribute>() is { } minLength && text.Length < minLength.Length)
            errors.Add(new(path, $"must be at least {minLength.Length} characters long"));
        if (property.GetCustomAttribute<MaxLengthAttribute>() is { } maxLength && text.Length > maxLength.Length)
        {
            errors.Add(new(path, $"must be at most {maxLength.Length} characters long"));
            return; // one message per value: a 10,000-character string need not also be matched against the grammar
        }

        if (property.GetCustomAttribute<DurationAttribute>() is not null)
        {
            if (!DurationParser.TryParse(text, out var duration))
                errors.Add(new(path, GrammarMessages.Duration));
            else if (DurationBounds.ByPath.TryGetValue(path, out var bound) && (duration < bound.Min || duration > bound.Max))
                errors.Add(new(path, $"must be between {DurationBounds.Format(bound.Min)} and {DurationBounds.Format(bound.Max)}"
                    + (bound.Why is null ? "" : $" ({bound.Why})")));
            return;
        }
        if (property.GetCustomAttribute<RegularExpressionAttribute>() is { } pattern && !AllowList.Matches(pattern.Pattern, text))
            errors.Add(new(path, GrammarMessages.For(pattern.Pattern)));
    }

    private static bool IsApiType(Type type) =>
        type.IsClass && type != typeof(string) && type.Namespace == typeof(WebSocketPool).Namespace;
}
