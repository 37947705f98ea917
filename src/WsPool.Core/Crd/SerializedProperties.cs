using System.Reflection;
using System.Text.Json.Serialization;

namespace WsPool.Core.Crd;

/// <summary>
/// The properties of a type as they appear on the wire: public instance properties with a getter, named by
/// [JsonPropertyName] (the API types and the KubernetesClient models both carry it), minus [JsonIgnore]d ones.
/// Sorted by wire name so the generated schema does not depend on reflection order (controller-gen sorts too).
/// </summary>
internal static class SerializedProperties
{
    public static IReadOnlyList<(string Name, PropertyInfo Property)> Of(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetMethod is not null && p.GetIndexParameters().Length == 0)
            .Where(p => p.GetCustomAttribute<JsonIgnoreAttribute>() is not { Condition: JsonIgnoreCondition.Always })
            .Select(p => (Name: WireName(p), Property: p))
            .OrderBy(p => p.Name, StringComparer.Ordinal)
            .ToList();

    /// <summary>The JSON name; a property without [JsonPropertyName] keeps the camelCase of its C# name.</summary>
    public static string WireName(PropertyInfo property) =>
        property.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name
        ?? char.ToLowerInvariant(property.Name[0]) + property.Name[1..];
}
