using System.ComponentModel;
using System.Reflection;
using System.Text.Json.Serialization;
using k8s.Models;

namespace WsPool.Core.Crd;

/// <summary>
/// Reflects a CLR type into a structural OpenAPI v3 schema node: every node typed, objects spelled out with their
/// properties (by JSON name), lists with items, string-keyed maps with additionalProperties. Validation attributes
/// become value validations, [Description] becomes description, and — where a defaults instance is given — property
/// initialisers become defaults. Works on the wspool API types and on the KubernetesClient models alike.
/// </summary>
internal sealed class TypeSchemaBuilder
{
    /// <summary>Deeper than any real API object; past it (or on a cycle) the node is left free-form.</summary>
    public const int MaxDepth = 32;

    private readonly HashSet<Type> expanding = [];

    /// <param name="type">The CLR type of the value.</param>
    /// <param name="defaults">
    /// An instance of <paramref name="type"/> whose property initialisers are the defaults, or null for a subtree
    /// that has no defaults (the status, the pod template).
    /// </param>
    /// <param name="path">The JSON path of the node, for error messages.</param>
    public V1JSONSchemaProps Build(Type type, object? defaults, string path)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;

        if (Scalar(type) is { } scalar) return scalar;
        if (type.IsEnum) return EnumOf(type);
        if (type == typeof(IntOrString)) return WellKnownSchemas.IntOrString();
        if (type == typeof(ResourceQuantity)) return WellKnownSchemas.Quantity();
        if (type == typeof(object)) return WellKnownSchemas.FreeForm();

        var withDefaults = defaults is not null;
        if (SchemaTypes.DictionaryValue(type) is { } valueType)
            return new() { Type = "object", AdditionalProperties = Build(valueType, FreshDefaults(valueType, withDefaults), path + ".*") };

        if (SchemaTypes.ListElement(type) is { } element)
        {
            var list = new V1JSONSchemaProps { Type = "array", Items = Build(element, FreshDefaults(element, withDefaults), path + "[*]") };
            if (element == typeof(V1Condition)) WellKnownSchemas.MakeConditionList(list);
            return list;
        }

        if (type == typeof(V1ObjectMeta))
            return ObjectOf(type, defaults: null, path, include: WellKnownSchemas.EmbeddedMetadataFields.Contains);

        if (SchemaTypes.IsObject(type))
        {
            var schema = ObjectOf(type, defaults, path, include: _ => true);
            if (type == typeof(V1Condition)) WellKnownSchemas.ConstrainCondition(schema);
            if (type == typeof(V1PodTemplateSpec)) PodTemplateConstraints.Apply(schema);
            return schema;
        }

        throw new NotSupportedException($"{path}: {type} has no OpenAPI mapping");
    }

    private V1JSONSchemaProps ObjectOf(Type type, object? defaults, string path, Func<string, bool> include)
    {
        if (expanding.Count >= MaxDepth || !expanding.Add(type))
        {
            var free = WellKnownSchemas.FreeForm();
            free.Description = $"A {type.Name}; not expanded in the schema because the type nests itself.";
            return free;
        }

        try
        {
            var schema = new V1JSONSchemaProps
            {
                Type = "object",
                Description = type.GetCustomAttribute<DescriptionAttribute>()?.Description,
                Properties = new Dictionary<string, V1JSONSchemaProps>(),
            };
            var required = new List<string>();

            foreach (var (name, property) in SerializedProperties.Of(type).Where(p => include(p.Name)))
            {
                var propertyPath = $"{path}.{name}";
                var initial = defaults is null ? null : property.GetValue(defaults);
                var node = Build(property.PropertyType, NestedDefaults(property.PropertyType, initial, defaults is not null), propertyPath);

                PropertyConstraints.Apply(property, node, propertyPath);
                node.Description = property.GetCustomAttribute<DescriptionAttribute>()?.Description ?? node.Description;
                if (defaults is not null) DefaultValues.Apply(property, initial, node, propertyPath);

                if (PropertyConstraints.IsRequired(property) || MustBeGiven(property, node)) required.Add(name);
                schema.Properties[name] = node;
            }

            if (required.Count > 0) schema.Required = required;
            foreach (var rule in type.GetCustomAttributes<Api.CelRuleAttribute>())
                (schema.XKubernetesValidations ??= []).Add(ValidationRules.Of(rule, schema, path));
            return schema;
        }
        finally
        {
            expanding.Remove(type);
        }
    }

    /// <summary>
    /// A non-nullable object that itself requires fields cannot default to {} (that default would be invalid), so the
    /// user has to give it: WebSocketPool.spec is one, because spec.template is required.
    /// </summary>
    private static bool MustBeGiven(PropertyInfo property, V1JSONSchemaProps node) =>
        node is { Type: "object", Required.Count: > 0, DefaultProperty: null } && !SchemaTypes.IsNullable(property);

    /// <summary>
    /// The instance nested defaults are read from: the parent's initialiser if it set one, else a fresh object, so a
    /// user who writes <c>cookie: {}</c> still gets the cookie's defaults. Kubernetes model types carry no defaults
    /// of ours (the API server defaults a Deployment's pod template when the operator creates it).
    /// </summary>
    private static object? NestedDefaults(Type type, object? initial, bool withDefaults)
    {
        if (!withDefaults) return null;
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (!SchemaTypes.IsObject(type) || IsKubernetesModel(type)) return null;
        return initial ?? FreshDefaults(type, withDefaults);
    }

    private static object? FreshDefaults(Type type, bool withDefaults) =>
        withDefaults && SchemaTypes.IsObject(type) && !IsKubernetesModel(type) && type.GetConstructor(Type.EmptyTypes) is not null
            ? Activator.CreateInstance(type)
            : null;

    private static bool IsKubernetesModel(Type type) => type.Namespace?.StartsWith("k8s", StringComparison.Ordinal) == true;

    private static V1JSONSchemaProps? Scalar(Type type)
    {
        if (type == typeof(string)) return new() { Type = "string" };
        if (type == typeof(bool)) return new() { Type = "boolean" };
        if (type == typeof(int) || type == typeof(short) || type == typeof(byte)) return new() { Type = "integer", Format = "int32" };
        if (type == typeof(long)) return new() { Type = "integer", Format = "int64" };
        if (type == typeof(double)) return new() { Type = "number", Format = "double" };
        if (type == typeof(float)) return new() { Type = "number", Format = "float" };
        if (type == typeof(DateTime) || type == typeof(DateTimeOffset)) return WellKnownSchemas.DateTime();
        if (type == typeof(byte[])) return new() { Type = "string", Format = "byte" };
        return null;
    }

    /// <summary>Enums go on the wire as their member names (JsonStringEnumConverter), in declaration order.</summary>
    private static V1JSONSchemaProps EnumOf(Type type) => new()
    {
        Type = "string",
        EnumProperty = type.GetFields(BindingFlags.Public | BindingFlags.Static)
            .OrderBy(f => f.MetadataToken)
            .Select(f => (object)(f.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name ?? f.Name))
            .ToList(),
    };
}
