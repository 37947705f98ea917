using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using k8s.Models;

namespace WsPool.Core.Crd;

/// <summary>
/// A default must itself satisfy its schema node (the API server rejects such a CRD, and worse, a default that
/// breaks its own pattern would make every object that omits the field invalid). Checked when the CRD is generated,
/// so a bad initialiser fails `make crds` with the field path instead of failing in a cluster.
/// </summary>
internal static class DefaultValidity
{
    public static void Check(V1JSONSchemaProps node, JsonNode value, string path)
    {
        var broken = FirstBrokenRule(node, value);
        if (broken is not null)
            throw new InvalidOperationException($"{path}: the default {value.ToJsonString()} breaks the schema: {broken}");
    }

    private static string? FirstBrokenRule(V1JSONSchemaProps node, JsonNode value)
    {
        var kind = value.GetValueKind();
        if (node.XKubernetesIntOrString == true)
        {
            if (kind is not (JsonValueKind.Number or JsonValueKind.String)) return "must be an integer or a string";
            if (kind == JsonValueKind.Number) return IntegerOnly(value);
        }
        else
        {
            var typeMismatch = node.Type switch
            {
                "string" when kind != JsonValueKind.String => "must be a string",
                "boolean" when kind is not (JsonValueKind.True or JsonValueKind.False) => "must be a boolean",
                "integer" when kind != JsonValueKind.Number => "must be an integer",
                "integer" => IntegerOnly(value),
                "number" when kind != JsonValueKind.Number => "must be a number",
                _ => null,
            };
            if (typeMismatch is not null) return typeMismatch;
        }

        if (node.EnumProperty is { Count: > 0 } allowed
            && !allowed.Any(a => string.Equals(Convert.ToString(a, CultureInfo.InvariantCulture), Text(value), StringComparison.Ordinal)))
            return $"must be one of {string.Join(", ", allowed)}";

        if (kind == JsonValueKind.String)
        {
            var text = value.GetValue<string>();
            if (node.Pattern is not null && !Regex.IsMatch(text, node.Pattern)) return $"must match {node.Pattern}";
            if (node.MinLength is { } min && text.Length < min) return $"must be at least {min} characters";
            if (node.MaxLength is { } max && text.Length > max) return $"must be at most {max} characters";
        }

        if (kind == JsonValueKind.Number)
        {
            var number = value.GetValue<double>();
            if (node.Minimum is { } min && number < min) return $"must be at least {min}";
            if (node.Maximum is { } max && number > max) return $"must be at most {max}";
        }

        return null;
    }

    private static string? IntegerOnly(JsonNode value) =>
        double.IsInteger(value.GetValue<double>()) ? null : "must be an integer";

    private static string Text(JsonNode value) =>
        value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : value.ToJsonString();
}
