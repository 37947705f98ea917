using System.Text.Json.Nodes;
using WsPool.KubeEmulator.Json;
using WsPool.KubeEmulator.Schemas;

namespace WsPool.KubeEmulator.Resources;

/// <summary>
/// Serves custom resources described by CustomResourceDefinition objects: every served version becomes a
/// resource with the CRD's names, scope, status and scale subresources and list types from its schema.
/// </summary>
public static class CrdRegistrar
{
    public static IReadOnlyList<ResourceType> TypesOf(JsonObject crd)
    {
        var spec = crd["spec"] as JsonObject;
        var names = spec?["names"] as JsonObject;
        var group = spec.Str("group");
        var plural = names.Str("plural");
        var kind = names.Str("kind");
        if (group is null || plural is null || kind is null || spec?["versions"] is not JsonArray versions) return [];
        var result = new List<ResourceType>();
        foreach (var v in versions.OfType<JsonObject>())
        {
            if (v["served"] is JsonValue served && served.TryGetValue<bool>(out var isServed) && !isServed) continue;
            var version = v.Str("name");
            if (version is null) continue;
            var subresources = v["subresources"] as JsonObject;
            ScaleSpec? scale = null;
            if (subresources?["scale"] is JsonObject s)
                scale = new ScaleSpec(s.Str("specReplicasPath") ?? ".spec.replicas", s.Str("statusReplicasPath") ?? ".status.replicas",
                    s.Str("labelSelectorPath"));
            result.Add(new ResourceType
            {
                Group = group,
                Version = version,
                Plural = plural,
                Singular = names.Str("singular") ?? kind.ToLowerInvariant(),
                Kind = kind,
                Namespaced = spec.Str("scope") != "Cluster",
                ShortNames = Strings(names?["shortNames"]),
                Categories = Strings(names?["categories"]),
                HasStatus = subresources?["status"] is not null,
                Scale = scale,
                IsCustom = true,
                PrinterColumns = Tables.PrinterColumn.Of(v),
                ListTypes = ListTypes.FromSchema(v["schema"]?["openAPIV3Schema"] as JsonObject),
                Schema = v["schema"]?["openAPIV3Schema"] is JsonObject openApi
                    ? new CustomResourceSchema(openApi, scale is null ? null : new ScaleValidation(scale.SpecReplicasPath, scale.StatusReplicasPath))
                    : null,
            });
        }
        return result;
    }

    public static void Register(ResourceCatalog catalog, JsonObject crd)
    {
        var types = TypesOf(crd);
        if (types.Count == 0) return;
        catalog.Unregister(types[0].Group, types[0].Plural);
        foreach (var t in types) catalog.Register(t);
    }

    public static void Unregister(ResourceCatalog catalog, JsonObject crd)
    {
        var spec = crd["spec"] as JsonObject;
        var group = spec.Str("group");
        var plural = spec?["names"].Str("plural");
        if (group is not null && plural is not null) catalog.Unregister(group, plural);
    }

    /// <summary>The status a CRD reaches once the API server has accepted its names and serves it.</summary>
    public static JsonObject AcceptedStatus(JsonObject crd, string now)
    {
        var spec = crd["spec"] as JsonObject;
        var storage = (spec?["versions"] as JsonArray)?.OfType<JsonObject>()
            .FirstOrDefault(v => v["storage"] is JsonValue s && s.TryGetValue<bool>(out var b) && b).Str("name");
        JsonObject Condition(string type, string reason, string message) => new()
        {
            ["type"] = type,
            ["status"] = "True",
            ["lastTransitionTime"] = now,
            ["reason"] = reason,
            ["message"] = message,
        };
        return new JsonObject
        {
            ["acceptedNames"] = spec?["names"]?.DeepClone(),
            ["conditions"] = new JsonArray(
                Condition("NamesAccepted", "NoConflicts", "no conflicts found"),
                Condition("Established", "InitialNamesAccepted", "the initial names have been accepted")),
            ["storedVersions"] = storage is null ? new JsonArray() : new JsonArray(storage),
        };
    }

    private static IReadOnlyList<string> Strings(JsonNode? node) =>
        (node as JsonArray)?.Select(JsonUtil.ScalarText).OfType<string>().ToArray() ?? [];
}
