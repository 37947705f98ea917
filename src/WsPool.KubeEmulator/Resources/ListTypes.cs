using System.Text.Json.Nodes;

namespace WsPool.KubeEmulator.Resources;

/// <summary>How a list merges in strategic merge patch and server-side apply.</summary>
public enum ListKind
{
    /// <summary>Replaced as a whole (the default for custom resources and for unlisted built-in fields).</summary>
    Atomic,
    /// <summary>Items are identified by key fields (<c>x-kubernetes-list-type: map</c>, <c>patchMergeKey</c>).</summary>
    Map,
    /// <summary>A set of scalars (<c>x-kubernetes-list-type: set</c>), e.g. finalizers.</summary>
    Set,
}

public sealed record ListType(ListKind Kind, IReadOnlyList<string> Keys)
{
    public static readonly ListType Atomic = new(ListKind.Atomic, []);
    public static readonly ListType Set = new(ListKind.Set, []);
    public static ListType Map(params string[] keys) => new(ListKind.Map, keys);

    /// <summary>The strategic merge patch key (one field: <c>patchMergeKey</c>).</summary>
    public string? MergeKey => Kind == ListKind.Map ? Keys[0] : null;
}

/// <summary>
/// Resolves the list type at a field path (field names joined with dots, list positions left out, for example
/// <c>spec.template.spec.containers</c>).
/// </summary>
public abstract class ListTypes
{
    public abstract ListType Resolve(string resourcePlural, string fieldPath);

    /// <summary>The built-in kinds' list semantics, by field name (the subset wspool uses; see README).</summary>
    public static readonly ListTypes BuiltIn = new BuiltInListTypes();

    /// <summary>From a CRD's openAPIV3Schema (<c>x-kubernetes-list-type</c> / <c>x-kubernetes-list-map-keys</c>).</summary>
    public static ListTypes FromSchema(JsonObject? openApiV3Schema)
    {
        var map = new Dictionary<string, ListType>(StringComparer.Ordinal);
        if (openApiV3Schema is not null) Walk(openApiV3Schema, "", map);
        return new SchemaListTypes(map);
    }

    private static void Walk(JsonObject schema, string path, Dictionary<string, ListType> map)
    {
        if (schema["properties"] is JsonObject props)
        {
            foreach (var (name, child) in props)
                if (child is JsonObject c) Walk(c, path.Length == 0 ? name : $"{path}.{name}", map);
        }
        if (schema["additionalProperties"] is JsonObject additional) Walk(additional, path + ".*", map);
        if (schema["items"] is JsonObject items)
        {
            var listType = schema["x-kubernetes-list-type"]?.GetValue<string>();
            map[path] = listType switch
            {
                "map" => new ListType(ListKind.Map,
                    (schema["x-kubernetes-list-map-keys"] as JsonArray)?.Select(k => k!.GetValue<string>()).ToArray() ?? []),
                "set" => ListType.Set,
                _ => ListType.Atomic,
            };
            Walk(items, path, map);
        }
    }

    /// <summary>Metadata lists are the same for every kind.</summary>
    protected static ListType? MetadataList(string fieldPath) => fieldPath switch
    {
        "metadata.ownerReferences" => ListType.Map("uid"),
        "metadata.finalizers" => ListType.Set,
        _ => null,
    };

    private sealed class SchemaListTypes(Dictionary<string, ListType> map) : ListTypes
    {
        public override ListType Resolve(string resourcePlural, string fieldPath) =>
            MetadataList(fieldPath) ?? (map.TryGetValue(fieldPath, out var t) ? t : ListType.Atomic);
    }

    private sealed class BuiltInListTypes : ListTypes
    {
        public override ListType Resolve(string resourcePlural, string fieldPath)
        {
            if (MetadataList(fieldPath) is { } meta) return meta;
            var last = fieldPath[(fieldPath.LastIndexOf('.') + 1)..];
            return last switch
            {
                "containers" or "initContainers" or "ephemeralContainers" or "volumes" or "env" or "imagePullSecrets"
                    or "resourceClaims" => ListType.Map("name"),
                "volumeMounts" => ListType.Map("mountPath"),
                "volumeDevices" => ListType.Map("devicePath"),
                "ports" when resourcePlural == "services" && fieldPath == "spec.ports" => ListType.Map("port", "protocol"),
                "ports" when fieldPath.EndsWith("containers.ports", StringComparison.Ordinal)
                    || fieldPath.EndsWith("Containers.ports", StringComparison.Ordinal) => ListType.Map("containerPort", "protocol"),
                "conditions" => ListType.Map("type"),
                "hostAliases" => ListType.Map("ip"),
                "topologySpreadConstraints" => ListType.Map("topologyKey", "whenUnsatisfiable"),
                "finalizers" => ListType.Set,
                _ => ListType.Atomic,
            };
        }
    }
}
