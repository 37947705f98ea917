using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using WsPool.KubeEmulator.Json;
using WsPool.KubeEmulator.Resources;

namespace WsPool.KubeEmulator.Schemas;

/// <summary>
/// The OpenAPI v3 documents the API server publishes for custom resources: <c>/openapi/v3</c> lists a document per
/// group/version (with a content hash in its URL), and <c>/openapi/v3/apis/{group}/{version}</c> holds each kind's
/// schema (named <c>dev.wspool.v1alpha1.WebSocketPool</c> for group wspool.dev, tagged with
/// <c>x-kubernetes-group-version-kind</c>, metadata as a reference to ObjectMeta) and the resource's paths, whose
/// patch operations declare the <c>fieldValidation</c> parameter. kubectl explain reads these; kubectl apply sees
/// from them that the server validates fields itself.
/// </summary>
public static class OpenApiPublisher
{
    private const string ObjectMetaRef = "#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta";
    private const string ListMetaRef = "#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta";

    public static JsonObject Index(ResourceCatalog catalog)
    {
        var paths = new JsonObject();
        foreach (var gv in Published(catalog).Select(t => (t.Group, t.Version)).Distinct().OrderBy(x => x.Group).ThenBy(x => x.Version))
        {
            var document = GroupVersion(catalog, $"{gv.Group}/{gv.Version}")!;
            var hash = Convert.ToHexString(SHA512.HashData(Encoding.UTF8.GetBytes(JsonUtil.ToJson(document))));
            paths[$"apis/{gv.Group}/{gv.Version}"] = new JsonObject { ["serverRelativeURL"] = $"/openapi/v3/apis/{gv.Group}/{gv.Version}?hash={hash}" };
        }
        return new JsonObject { ["paths"] = paths };
    }

    /// <summary>The document for "group/version", or null when no custom resource is served there.</summary>
    public static JsonObject? GroupVersion(ResourceCatalog catalog, string groupVersion)
    {
        var types = Published(catalog).Where(t => $"{t.Group}/{t.Version}" == groupVersion.Trim('/')).ToList();
        if (types.Count == 0) return null;
        var schemas = new JsonObject();
        var paths = new JsonObject();
        foreach (var t in types)
        {
            var name = SchemaName(t);
            var root = (JsonObject)t.Schema!.Root.DeepClone();
            root.Obj("properties")["metadata"] = new JsonObject
            {
                ["description"] = "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata",
                ["allOf"] = new JsonArray(new JsonObject { ["$ref"] = ObjectMetaRef }),
            };
            root["x-kubernetes-group-version-kind"] = Gvk(t, t.Kind);
            schemas[name] = root;
            schemas[name + "List"] = new JsonObject
            {
                ["description"] = $"{t.Kind}List is a list of {t.Kind}",
                ["type"] = "object",
                ["required"] = new JsonArray("items"),
                ["properties"] = new JsonObject
                {
                    ["apiVersion"] = new JsonObject { ["type"] = "string" },
                    ["kind"] = new JsonObject { ["type"] = "string" },
                    ["items"] = new JsonObject { ["type"] = "array", ["items"] = new JsonObject { ["$ref"] = "#/components/schemas/" + name } },
                    ["metadata"] = new JsonObject { ["allOf"] = new JsonArray(new JsonObject { ["$ref"] = ListMetaRef }) },
                },
                ["x-kubernetes-group-version-kind"] = Gvk(t, t.ListKind),
            };
            var prefix = t.Namespaced ? $"/apis/{t.Group}/{t.Version}/namespaces/{{namespace}}/{t.Plural}" : $"/apis/{t.Group}/{t.Version}/{t.Plural}";
            paths[prefix] = new JsonObject
            {
                ["get"] = Operation(t, "list", name + "List"),
                ["post"] = Operation(t, "post", name),
            };
            paths[prefix + "/{name}"] = new JsonObject
            {
                ["get"] = Operation(t, "get", name),
                ["put"] = Operation(t, "put", name),
                ["patch"] = Operation(t, "patch", name),
                ["delete"] = Operation(t, "delete", name),
            };
            if (t.HasStatus)
                paths[prefix + "/{name}/status"] = new JsonObject
                {
                    ["get"] = Operation(t, "get", name),
                    ["put"] = Operation(t, "put", name),
                    ["patch"] = Operation(t, "patch", name),
                };
        }
        schemas["io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"] = ObjectMeta();
        schemas["io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta"] = new JsonObject
        {
            ["description"] = "ListMeta describes metadata that synthetic resources must have, including lists and various status objects.",
            ["type"] = "object",
            ["properties"] = new JsonObject
            {
                ["continue"] = new JsonObject { ["type"] = "string" },
                ["remainingItemCount"] = new JsonObject { ["type"] = "integer", ["format"] = "int64" },
                ["resourceVersion"] = new JsonObject { ["type"] = "string" },
            },
        };
        return new JsonObject
        {
            ["openapi"] = "3.0.0",
            ["info"] = new JsonObject { ["title"] = "Kubernetes CRD Swagger", ["version"] = "v0.1.0" },
            ["paths"] = paths,
            ["components"] = new JsonObject { ["schemas"] = schemas },
        };
    }

    private static IEnumerable<ResourceType> Published(ResourceCatalog catalog) => catalog.All.Where(t => t.Schema is not null);

    /// <summary>The reversed group, version and kind: wspool.dev, v1alpha1, WebSocketPool → dev.wspool.v1alpha1.WebSocketPool.</summary>
    public static string SchemaName(ResourceType t) => $"{string.Join('.', t.Group.Split('.').Reverse())}.{t.Version}.{t.Kind}";

    private static JsonArray Gvk(ResourceType t, string kind) =>
        new(new JsonObject { ["group"] = t.Group, ["kind"] = kind, ["version"] = t.Version });

    private static JsonObject Operation(ResourceType t, string action, string schema)
    {
        var parameters = new JsonArray(
            Query("dryRun"), Query("fieldManager"));
        if (action is "patch" or "put" or "post") parameters.Add(Query("fieldValidation"));
        if (action == "patch") parameters.Add(new JsonObject { ["name"] = "force", ["in"] = "query", ["schema"] = new JsonObject { ["type"] = "boolean" } });
        return new JsonObject
        {
            ["operationId"] = $"{action}{t.Kind}",
            ["parameters"] = parameters,
            ["responses"] = new JsonObject
            {
                ["200"] = new JsonObject
                {
                    ["description"] = "OK",
                    ["content"] = new JsonObject
                    {
                        ["application/json"] = new JsonObject { ["schema"] = new JsonObject { ["$ref"] = "#/components/schemas/" + schema } },
                    },
                },
            },
            ["x-kubernetes-action"] = action,
            ["x-kubernetes-group-version-kind"] = new JsonObject { ["group"] = t.Group, ["kind"] = t.Kind, ["version"] = t.Version },
        };
    }

    private static JsonObject Query(string name) =>
        new() { ["name"] = name, ["in"] = "query", ["schema"] = new JsonObject { ["type"] = "string", ["uniqueItems"] = true } };

    private static JsonObject ObjectMeta()
    {
        JsonObject S(string type, string description) => new() { ["type"] = type, ["description"] = description };
        JsonObject Map(string description) => new()
        {
            ["type"] = "object", ["description"] = description, ["additionalProperties"] = new JsonObject { ["type"] = "string", ["default"] = "" },
        };
        return new JsonObject
        {
            ["description"] = "ObjectMeta is metadata that all persisted resources must have, which includes all objects users must create.",
            ["type"] = "object",
            ["properties"] = new JsonObject
            {
                ["annotations"] = Map("Annotations is an unstructured key value map stored with a resource that may be set by external tools to store and retrieve arbitrary metadata."),
                ["creationTimestamp"] = S("string", "CreationTimestamp is a timestamp representing the server time when this object was created."),
                ["deletionTimestamp"] = S("string", "DeletionTimestamp is RFC 3339 date and time at which this resource will be deleted."),
                ["finalizers"] = new JsonObject
                {
                    ["type"] = "array", ["description"] = "Must be empty before the object is deleted from the registry.",
                    ["items"] = new JsonObject { ["type"] = "string", ["default"] = "" }, ["x-kubernetes-list-type"] = "set",
                },
                ["generateName"] = S("string", "GenerateName is an optional prefix, used by the server, to generate a unique name ONLY IF the Name field has not been provided."),
                ["generation"] = new JsonObject { ["type"] = "integer", ["format"] = "int64", ["description"] = "A sequence number representing a specific generation of the desired state." },
                ["labels"] = Map("Map of string keys and values that can be used to organize and categorize (scope and select) objects."),
                ["name"] = S("string", "Name must be unique within a namespace."),
                ["namespace"] = S("string", "Namespace defines the space within which each name must be unique."),
                ["resourceVersion"] = S("string", "An opaque value that represents the internal version of this object."),
                ["uid"] = S("string", "UID is the unique in time and space value for this object."),
            },
        };
    }
}
