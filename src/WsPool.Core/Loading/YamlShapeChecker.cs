using System.Collections.Concurrent;
using System.Globalization;
using System.Reflection;
using System.Text.Json.Serialization;
using k8s.Models;
using WsPool.Core.Validation;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace WsPool.Core.Loading;

/// <summary>
/// Walks a YAML node tree against the C# type it is meant to become (our API types and the KubernetesClient models
/// inside spec.template) and reports every unknown field and every value of the wrong shape, each with its field
/// path and line:column. Strict deserialization stops at the first unknown field; users fixing a file want all of
/// them at once. It also drops explicit nulls from mappings, because in Kubernetes a null field means "unset": the
/// default applies rather than a null the rest of the code would have to guard against.
/// Wrong fields are pruned from the tree, so the rest of the document can still be read and validated and the user
/// sees every mistake in one run; <see cref="Replaced"/> lists the fields whose values were dropped (their defaults
/// now stand in), and <see cref="CanPrune"/> is false when a wrong list item made pruning impossible.
/// </summary>
internal sealed class YamlShapeChecker(string file)
{
    private static readonly ConcurrentDictionary<Type, IReadOnlyDictionary<string, PropertyInfo>> FieldsByType = new();

    private readonly List<(string Path, string Message, SourceLocation Location)> _errors = [];
    private readonly Dictionary<string, SourceLocation> _locations = new(StringComparer.Ordinal);
    private readonly List<string> _replaced = [];

    public IReadOnlyList<(string Path, string Message, SourceLocation Location)> Errors => _errors;
    public IReadOnlyDictionary<string, SourceLocation> Locations => _locations;
    public IReadOnlyList<string> Replaced => _replaced;
    public bool CanPrune { get; private set; } = true;

    public SourceLocation At(YamlNode node) => new(file, (int)node.Start.Line, (int)node.Start.Column);

    /// <summary>Checks <paramref name="node"/>; false when the node itself has the wrong shape and must go.</summary>
    public bool Check(YamlNode node, Type type, string path)
    {
        _locations.TryAdd(path, At(node));
        if (HasCustomTag(node))
        {
            Error(path, $"YAML tags such as {node.Tag.Value} are not supported", node);
            return false;
        }
        if (IsNull(node)) return true;

        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(object)) return true; // free-form

        if (IsScalarType(type))
        {
            if (node is not YamlScalarNode scalar)
            {
                Error(path, $"must be {ScalarDescription(type)}, not a {ShapeName(node)}", node);
                return false;
            }
            return CheckScalar(scalar, type, path);
        }

        if (DictionaryValueType(type) is { } valueType)
        {
            if (node is not YamlMappingNode map)
            {
                Error(path, $"must be a map, not a {ShapeName(node)}", node);
                return false;
            }
            var wrong = new List<YamlNode>();
            foreach (var (key, value) in map.Children)
            {
                if (key is not YamlScalarNode { Value: { } name } || HasCustomTag(key))
                {
                    Error(path, "map keys must be plain strings", key);
                    wrong.Add(key);
                    continue;
                }
                var keyPath = FieldPath.Key(path, name);
                if (!Check(value, valueType, keyPath))
                {
                    wrong.Add(key);
                    _replaced.Add(keyPath);
                }
            }
            foreach (var key in wrong) map.Children.Remove(key);
            return true;
        }

        if (ListItemType(type) is { } itemType)
        {
            if (node is not YamlSequenceNode list)
            {
                Error(path, $"must be a list, not a {ShapeName(node)}", node);
                return false;
            }
            // Removing an item would shift the indices every later message names, so a wrong item stops pruning.
            for (var i = 0; i < list.Children.Count; i++)
                if (!Check(list.Children[i], itemType, FieldPath.Item(path, i))) CanPrune = false;
            return true;
        }

        if (node is not YamlMappingNode mapping)
        {
            Error(path, $"must be an object, not a {ShapeName(node)}", node);
            return false;
        }
        CheckObject(mapping, type, path);
        return true;
    }

    private void CheckObject(YamlMappingNode mapping, Type type, string path)
    {
        var fields = FieldsOf(type);
        var dropped = new List<YamlNode>();
        foreach (var (key, value) in mapping.Children)
        {
            if (key is not YamlScalarNode { Value: { } name } || HasCustomTag(key))
            {
                Error(path, "field names must be plain strings", key);
                dropped.Add(key);
                continue;
            }
            var fieldPath = FieldPath.Field(path, name);
            if (!fields.TryGetValue(name, out var property))
            {
                Error(fieldPath, "unknown field", key);
                dropped.Add(key);
                continue;
            }
            if (IsNull(value))
            {
                dropped.Add(key);
                _locations.TryAdd(fieldPath, At(value));
                continue;
            }
            if (!Check(value, property.PropertyType, fieldPath))
            {
                dropped.Add(key);
                _replaced.Add(fieldPath);
            }
        }
        foreach (var key in dropped) mapping.Children.Remove(key);
    }

    private bool CheckScalar(YamlScalarNode scalar, Type type, string path)
    {
        var text = scalar.Value ?? "";
        // The API server takes a scalar's type from YAML, not from the field: "5" is a string and 5 a number, and a
        // field of the other type is refused. wspool judges the same way, so it never accepts what kubectl apply
        // would be refused.
        var quoted = scalar.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted or ScalarStyle.Literal or ScalarStyle.Folded;
        if (quoted && (type == typeof(bool) || type == typeof(int) || type == typeof(long) || type == typeof(double) || type == typeof(float)))
        {
            Error(path, $"must be {ScalarDescription(type)}, not a quoted string", scalar);
            return false;
        }
        if (!quoted && (type == typeof(string) || type.IsEnum) && PlainScalarType(text) is { } yamlType)
        {
            Error(path, $"must be a string, not {yamlType}: quote it (\"{text}\")", scalar);
            return false;
        }
        var ok = type switch
        {
            _ when type == typeof(string) || type == typeof(IntOrString) => true,
            _ when type == typeof(bool) => text is "true" or "false" or "True" or "False" or "TRUE" or "FALSE",
            // A leading zero makes YAML read the number as octal (010 is 8): refuse the ambiguity.
            _ when type == typeof(int) => !LeadingZero(text) && int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _),
            _ when type == typeof(long) => !LeadingZero(text) && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _),
            _ when type == typeof(double) || type == typeof(float) || type == typeof(decimal) =>
                double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _),
            _ when type == typeof(DateTime) || type == typeof(DateTimeOffset) =>
                DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out _),
            _ when type == typeof(ResourceQuantity) => IsQuantity(text),
            _ when type == typeof(byte[]) => IsBase64(text),
            _ when type.IsEnum => Enum.GetNames(type).Contains(text, StringComparer.Ordinal),
            _ => true,
        };
        if (!ok) Error(path, $"must be {ScalarDescription(type)}", scalar);
        return ok;
    }

    private void Error(string path, string message, YamlNode node) => _errors.Add((path, message, At(node)));

    /// <summary>A plain (unquoted) empty, ~ or null scalar, or one tagged !!null, is YAML's null.</summary>
    public static bool IsNull(YamlNode node) =>
        node is YamlScalarNode scalar
        && ((!scalar.Tag.IsEmpty && !scalar.Tag.IsNonSpecific && scalar.Tag.Value == "tag:yaml.org,2002:null")
            || (scalar.Style is YamlDotNet.Core.ScalarStyle.Plain or YamlDotNet.Core.ScalarStyle.Any
                && scalar.Value is null or "" or "~" or "null" or "Null" or "NULL"));

    private static IReadOnlyDictionary<string, PropertyInfo> FieldsOf(Type type) =>
        FieldsByType.GetOrAdd(type, t => t
            .GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanWrite && p.GetIndexParameters().Length == 0 && p.GetCustomAttribute<JsonIgnoreAttribute>() is null)
            .GroupBy(p => p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? JsonNamingPolicyCamel(p.Name))
            .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal));

    private static string JsonNamingPolicyCamel(string name) => System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(name);

    private static bool IsScalarType(Type type) =>
        type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal)
        || type == typeof(DateTime) || type == typeof(DateTimeOffset) || type == typeof(byte[])
        || type == typeof(IntOrString) || type == typeof(ResourceQuantity);

    private static Type? DictionaryValueType(Type type)
    {
        var dictionary = type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IDictionary<,>)
            ? type
            : type.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IDictionary<,>));
        return dictionary is not null && dictionary.GetGenericArguments()[0] == typeof(string)
            ? dictionary.GetGenericArguments()[1]
            : null;
    }

    private static Type? ListItemType(Type type)
    {
        if (type == typeof(string)) return null;
        if (type.IsArray) return type.GetElementType();
        var enumerable = type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IEnumerable<>)
            ? type
            : type.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>));
        return enumerable?.GetGenericArguments()[0];
    }

    /// <summary>A tag other than YAML's own (!!str, !!int, ...) names a type the deserializer cannot make.</summary>
    private static bool HasCustomTag(YamlNode node) =>
        !node.Tag.IsEmpty && !node.Tag.IsNonSpecific && !node.Tag.Value.StartsWith("tag:yaml.org,2002:", StringComparison.Ordinal);

    /// <summary>
    /// What a plain (unquoted) scalar is to the YAML reader kubectl uses (YAML 1.1, as sigs.k8s.io/yaml reads it):
    /// "a boolean" for true/yes/on..., "a number" for 12 or 1.5, null for anything that stays a string.
    /// </summary>
    private static string? PlainScalarType(string text)
    {
        if (text is "true" or "True" or "TRUE" or "false" or "False" or "FALSE" or "yes" or "Yes" or "YES" or "no" or "No" or "NO"
            or "on" or "On" or "ON" or "off" or "Off" or "OFF" or "y" or "Y" or "n" or "N")
            return "a boolean";
        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _)) return "a number";
        if (text.Length > 0 && (char.IsAsciiDigit(text[0]) || text[0] is '-' or '+' or '.')
            && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
            return "a number";
        return null;
    }

    private static bool LeadingZero(string text)
    {
        var digits = text.TrimStart('+', '-');
        return digits.Length > 1 && digits[0] == '0';
    }

    private static bool IsQuantity(string text)
    {
        try
        {
            _ = new ResourceQuantity(text).ToDecimal();
            return true;
        }
        catch (Exception e) when (e is FormatException or ArgumentException or OverflowException)
        {
            return false;
        }
    }

    private static bool IsBase64(string text)
    {
        Span<byte> buffer = new byte[text.Length];
        return Convert.TryFromBase64String(text, buffer, out _);
    }

    private static string ScalarDescription(Type type) => type switch
    {
        _ when type == typeof(string) => "a string",
        _ when type == typeof(IntOrString) => "a number or a string",
        _ when type == typeof(bool) => "true or false",
        _ when type == typeof(int) || type == typeof(long) => "a whole number (without leading zeros)",
        _ when type == typeof(double) || type == typeof(float) || type == typeof(decimal) => "a number",
        _ when type == typeof(DateTime) || type == typeof(DateTimeOffset) => "an RFC 3339 date-time",
        _ when type == typeof(ResourceQuantity) => "a quantity such as 250m, 1.5 or 128Mi",
        _ when type == typeof(byte[]) => "base64 data",
        _ when type.IsEnum => "one of " + string.Join(", ", Enum.GetNames(type)),
        _ => "a scalar",
    };

    private static string ShapeName(YamlNode node) => node switch
    {
        YamlMappingNode => "map",
        YamlSequenceNode => "list",
        _ => "scalar",
    };
}
