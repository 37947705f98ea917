using System.ComponentModel;
using System.Reflection;
using k8s.Models;

namespace WsPool.Core.Crd;

/// <summary>
/// The openAPIV3Schema of a whole custom resource: the standard apiVersion, kind and metadata (which the API server
/// validates itself), then the resource's own properties reflected from its type. Defaults come from a freshly
/// constructed resource and apply to the desired state only: the status is written whole by the operator, so a
/// default there would only hide an operator bug.
/// </summary>
internal static class ResourceSchemaBuilder
{
    private static readonly HashSet<string> StandardFields = ["apiVersion", "kind", "metadata"];

    public static V1JSONSchemaProps Build(Type resourceType)
    {
        var builder = new TypeSchemaBuilder();
        var fresh = Activator.CreateInstance(resourceType)
            ?? throw new InvalidOperationException($"{resourceType} has no parameterless constructor");

        var schema = new V1JSONSchemaProps
        {
            Type = "object",
            Description = resourceType.GetCustomAttribute<DescriptionAttribute>()?.Description,
            Properties = new Dictionary<string, V1JSONSchemaProps>
            {
                ["apiVersion"] = new()
                {
                    Type = "string",
                    Description = "The versioned schema of this representation of the object; the server converts recognised schemas to the latest internal value.",
                },
                ["kind"] = new()
                {
                    Type = "string",
                    Description = "The REST resource this object represents; the server infers it from the endpoint the client submits to. In CamelCase.",
                },
                ["metadata"] = new() { Type = "object" },
            },
        };

        var required = new List<string>();
        foreach (var (name, property) in SerializedProperties.Of(resourceType).Where(p => !StandardFields.Contains(p.Name)))
        {
            var defaults = name == "status" ? null : property.GetValue(fresh);
            var node = builder.Build(property.PropertyType, defaults, name);
            node.Description = property.GetCustomAttribute<DescriptionAttribute>()?.Description ?? node.Description;
            if (node.Required is { Count: > 0 } && !SchemaTypes.IsNullable(property)) required.Add(name);
            schema.Properties[name] = node;
        }

        if (required.Count > 0) schema.Required = required;
        return schema;
    }
}
