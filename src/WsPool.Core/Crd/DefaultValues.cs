using System.Reflection;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace WsPool.Core.Crd;

/// <summary>
/// Reads a property's default from the initialiser of a freshly constructed object (the API types are the single
/// source of truth) and writes it onto the property's schema node, the way the API server applies it:
/// a scalar gets its value; an object that needs nothing from the user gets <c>default: {}</c>, so its own nested
/// defaults are applied when it is left out; unset (null) properties get none.
/// </summary>
internal static class DefaultValues
{
    public static void Apply(PropertyInfo property, object? value, V1JSONSchemaProps node, string path)
    {
        if (value is null || PropertyConstraints.IsRequired(property)) return;

        if (node.Type == "object" && node.Properties is not null)
        {
            // {} is only a valid default when nothing inside is required; otherwise the user must give the object.
            if (node.Required is not { Count: > 0 }) node.DefaultProperty = new JsonObject();
            return;
        }

        if (node.Type is "array" || node is { Type: "object", AdditionalProperties: not null })
        {
            if (value is System.Collections.IEnumerable items && items.GetEnumerator().MoveNext())
                throw new NotSupportedException(
                    $"{path}: a non-empty list or map initialiser has no CRD default here; keep it empty or extend {nameof(DefaultValues)}");
            return;
        }

        if (node.Format == "date-time") return; // a DateTime always has a value; no initialiser means "now" or "never"

        // Serialise exactly as the API types go on the wire: enums by name, IntOrString as a number or a string.
        var json = JsonNode.Parse(KubernetesJson.Serialize(value))
            ?? throw new InvalidOperationException($"{path}: the initialiser serialises to null");
        DefaultValidity.Check(node, json, path);
        node.DefaultProperty = json;
    }
}
