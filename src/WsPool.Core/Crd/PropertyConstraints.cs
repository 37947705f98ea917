using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Reflection;
using k8s.Models;
using WsPool.Core.Api;

namespace WsPool.Core.Crd;

/// <summary>
/// Turns the validation attributes on a property into OpenAPI value validations on its schema node. An attribute
/// that does not fit the node's shape (a [Range] on a string, say) is a mistake in the API types and throws, rather
/// than being silently dropped from the CRD.
/// </summary>
internal static class PropertyConstraints
{
    public static bool IsRequired(PropertyInfo property) => property.GetCustomAttribute<RequiredAttribute>() is not null;

    public static void Apply(PropertyInfo property, V1JSONSchemaProps node, string path)
    {
        foreach (var attribute in property.GetCustomAttributes(inherit: true))
        {
            switch (attribute)
            {
                case RangeAttribute range:
                    Expect(node, path, "[Range]", "integer", "number");
                    node.Minimum = Number(range.Minimum);
                    node.Maximum = Number(range.Maximum);
                    break;
                case RegularExpressionAttribute regex:
                    Expect(node, path, "[RegularExpression]", "string");
                    node.Pattern = regex.Pattern;
                    break;
                case DurationAttribute:
                    // An explicit [RegularExpression] wins whichever order the attributes come in.
                    Expect(node, path, "[Duration]", "string");
                    node.Pattern ??= DurationAttribute.Pattern;
                    node.MaxLength ??= DurationAttribute.MaxLength;
                    if (DurationRules.Bound(path) is { } bound) (node.XKubernetesValidations ??= []).Add(bound);
                    break;
                case MinLengthAttribute min when node.Type == "array":
                    node.MinItems = min.Length;
                    break;
                case MinLengthAttribute min:
                    Expect(node, path, "[MinLength]", "string");
                    node.MinLength = min.Length;
                    break;
                case MaxLengthAttribute max when node.Type == "array":
                    node.MaxItems = max.Length;
                    break;
                case MaxLengthAttribute max:
                    Expect(node, path, "[MaxLength]", "string");
                    node.MaxLength = max.Length;
                    break;
                case MaxItemsAttribute maxItems when node.Type == "array":
                    node.MaxItems = maxItems.Max;
                    break;
                case MaxItemsAttribute maxItems when node is { Type: "object", AdditionalProperties: not null }:
                    node.MaxProperties = maxItems.Max;
                    break;
                case MaxItemsAttribute:
                    throw Misplaced(path, "[MaxItems]", node, "a list or a map");
                case ItemsAttribute items when node is { Type: "array", Items: V1JSONSchemaProps { Type: "string" } item }:
                    item.Pattern = items.Pattern;
                    item.MaxLength = items.MaxLength;
                    if (items.Unique) node.XKubernetesListType = "set";
                    break;
                case ItemsAttribute:
                    throw Misplaced(path, "[Items]", node, "a list of strings");
            }
        }
    }

    private static void Expect(V1JSONSchemaProps node, string path, string attribute, params string[] types)
    {
        if (!types.Contains(node.Type)) throw Misplaced(path, attribute, node, string.Join(" or ", types));
    }

    private static InvalidOperationException Misplaced(string path, string attribute, V1JSONSchemaProps node, string expected) =>
        new($"{path}: {attribute} needs {expected}, but the property maps to {node.Type ?? "int-or-string"}");

    private static double Number(object value) => Convert.ToDouble(value, CultureInfo.InvariantCulture);
}
