using System.Text.Json.Nodes;
using k8s;
using WsPool.Core.Crd;

namespace WsPool.Core.Tests.Crd;

/// <summary>
/// The generated CRD and its openAPIV3Schema as plain JSON, the form the API server and validators read. Generated
/// once per test run; callers must not modify the nodes (StructuralDefaulting works on copies).
/// </summary>
internal static class CrdSchema
{
    private static readonly Lazy<JsonObject> Generated =
        new(() => (JsonObject)JsonNode.Parse(KubernetesJson.Serialize(CrdGenerator.Generate()))!);

    private static readonly Lazy<string> GeneratedYaml = new(CrdGenerator.ToYaml);

    public static JsonObject Crd() => Generated.Value;

    /// <summary>The YAML the generator writes (the content of crds/websocketpools.wspool.dev.yaml).</summary>
    public static string Yaml() => GeneratedYaml.Value;

    public static JsonObject Version() => (JsonObject)Crd()["spec"]!["versions"]![0]!;

    public static JsonObject OpenApi() => (JsonObject)Version()["schema"]!["openAPIV3Schema"]!;

    /// <summary>
    /// The node at a dotted path of property names: "spec.affinity.cookie.name"; a list's items are entered
    /// without a marker ("spec.balancer.gateway.parentRefs.name").
    /// </summary>
    public static JsonObject At(string path)
    {
        JsonObject node = OpenApi();
        foreach (var name in path.Split('.'))
        {
            if (node["items"] is JsonObject items && node["properties"] is null) node = items;
            node = (JsonObject?)node["properties"]?[name] ?? throw new KeyNotFoundException($"no property {name} in {path}");
        }
        return node;
    }

    /// <summary>Every node of a schema with its path (properties, items, additionalProperties, anyOf).</summary>
    public static IEnumerable<(string Path, JsonObject Node)> Walk(JsonObject node, string path = "")
    {
        yield return (path, node);
        if (node["properties"] is JsonObject properties)
            foreach (var (name, child) in properties)
                foreach (var inner in Walk((JsonObject)child!, $"{path}.{name}")) yield return inner;
        if (node["items"] is JsonObject items)
            foreach (var inner in Walk(items, path + "[*]")) yield return inner;
        if (node["additionalProperties"] is JsonObject values)
            foreach (var inner in Walk(values, path + ".*")) yield return inner;
        if (node["anyOf"] is JsonArray anyOf)
            for (var i = 0; i < anyOf.Count; i++)
                foreach (var inner in Walk((JsonObject)anyOf[i]!, $"{path}(anyOf {i})")) yield return inner;
    }
}
