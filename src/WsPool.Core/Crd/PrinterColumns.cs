using System.Reflection;
using k8s.Models;
using WsPool.Core.Api;

namespace WsPool.Core.Crd;

/// <summary>The kubectl get columns (additionalPrinterColumns), from [PrinterColumn] on the resource class, in declaration order.</summary>
internal static class PrinterColumns
{
    private static readonly HashSet<string> ColumnTypes = ["integer", "number", "string", "boolean", "date"];

    public static List<V1CustomResourceColumnDefinition> Of(Type resourceType) =>
        resourceType.GetCustomAttributes<PrinterColumnAttribute>()
            .Select(c => ColumnTypes.Contains(c.Type)
                ? new V1CustomResourceColumnDefinition
                {
                    Name = c.Name,
                    Type = c.Type,
                    JsonPath = c.JsonPath,
                    Description = c.Description,
                    Priority = c.Priority == 0 ? null : c.Priority,
                }
                : throw new InvalidOperationException($"printer column {c.Name}: type {c.Type} is not one of {string.Join(", ", ColumnTypes)}"))
            .ToList();
}
