using System.Text.Json.Nodes;

namespace WsPool.Core.Tests.Crd;

/// <summary>
/// The check a real API server makes of every <c>default</c> when it admits a CRD (apiextensions-apiserver's
/// structural-default validation): the default exactly as written — the nested fields' defaults are NOT applied to it
/// first — must satisfy its node's schema and then the x-kubernetes-validations of its node and of every nested node
/// the value reaches. So <c>default: {}</c> on an object whose rule reads <c>self.type</c> fails with
/// "no such key: type", even though every real object has a type by the time its rules run.
/// </summary>
/// <remarks>
/// Errors carry the server's field paths, so they can be compared with what kube-apiserver prints:
/// <c>spec.validation.openAPIV3Schema.properties[spec].properties[affinity].default: no such key: type evaluating
/// rule: queryParam is required when type is QueryParam</c>.
/// </remarks>
internal static class DefaultRuleCheck
{
    /// <summary>Where the server reports the schema of a CRD whose versions share one schema.</summary>
    public const string SchemaRoot = "spec.validation.openAPIV3Schema";

    /// <summary>Every error the server's default check finds in a CRD (as JSON); empty when it would admit the defaults.</summary>
    public static IReadOnlyList<string> ErrorsInCrd(JsonNode crd)
    {
        var versions = (JsonArray)crd["spec"]!["versions"]!;
        return versions
            .SelectMany(v => Errors((JsonObject)v!["schema"]!["openAPIV3Schema"]!))
            .Distinct()
            .ToList();
    }

    /// <summary>Every error the server's default check finds in an openAPIV3Schema.</summary>
    public static IReadOnlyList<string> Errors(JsonObject openApiSchema)
    {
        var errors = new List<string>();
        foreach (var (path, node) in Walk(openApiSchema, SchemaRoot))
        {
            if (!node.TryGetPropertyValue("default", out var value) || value is null) continue;
            var at = path + ".default";

            // As in the server: the schema first, and the rules only for a default that passes it.
            var schemaErrors = OpenApiToJsonSchema.Errors(OpenApiToJsonSchema.Schema(node), value);
            if (schemaErrors.Count > 0)
            {
                errors.AddRange(schemaErrors.Select(e => $"{at}: {e}"));
                continue;
            }
            errors.AddRange(CelRules.Violations(node, value, at));
        }
        return errors;
    }

    /// <summary>Every schema node with its path in the server's notation (properties[name], items, additionalProperties).</summary>
    public static IEnumerable<(string Path, JsonObject Node)> Walk(JsonObject node, string path)
    {
        yield return (path, node);
        if (node["properties"] is JsonObject properties)
            foreach (var (name, child) in properties)
                foreach (var inner in Walk((JsonObject)child!, $"{path}.properties[{name}]")) yield return inner;
        if (node["items"] is JsonObject items)
            foreach (var inner in Walk(items, path + ".items")) yield return inner;
        if (node["additionalProperties"] is JsonObject values)
            foreach (var inner in Walk(values, path + ".additionalProperties")) yield return inner;
        if (node["anyOf"] is JsonArray anyOf)
            for (var i = 0; i < anyOf.Count; i++)
                foreach (var inner in Walk((JsonObject)anyOf[i]!, $"{path}.anyOf[{i}]")) yield return inner;
    }
}
