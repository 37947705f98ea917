using System.Reflection;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using WsPool.KubeEmulator.Errors;
using WsPool.KubeEmulator.Json;
using WsPool.KubeEmulator.Registry;
using WsPool.KubeEmulator.Resources;
using WsPool.KubeEmulator.Storage;

namespace WsPool.KubeEmulator;

/// <summary>
/// Direct access to the emulator's objects for test setup and assertions: no HTTP, no faults, no request log, but
/// the same semantics as the API (resourceVersion, generation, managedFields, events to watchers, GC).
/// Typed methods use KubernetesClient models (or any type with [KubernetesEntity]); JSON methods take any kind.
/// </summary>
public sealed class EmulatorStore
{
    /// <summary>The field manager recorded for writes made through this class.</summary>
    public const string Manager = "emulator-test";

    private readonly ObjectRegistry _registry;

    internal EmulatorStore(ObjectRegistry registry) => _registry = registry;

    /// <summary>The current (latest) resourceVersion.</summary>
    public long ResourceVersion => _registry.Store.ResourceVersion;

    public ResourceCatalog Resources => _registry.Catalog;

    /// <summary>Forgets all watch history: a watch from any earlier resourceVersion now gets 410 Expired.</summary>
    public void CompactWatchHistory() => _registry.Store.CompactHistory();

    // ---------------------------------------------------------------- resolving kinds

    public ResourceType Resolve(string apiVersion, string kind) =>
        _registry.Catalog.FindByKind(apiVersion, kind) ?? throw new InvalidOperationException($"the emulator does not serve {kind} in {apiVersion}");

    public ResourceType Resolve<T>()
    {
        var entity = typeof(T).GetCustomAttribute<KubernetesEntityAttribute>()
            ?? throw new InvalidOperationException($"{typeof(T).Name} has no [KubernetesEntity] attribute");
        var apiVersion = string.IsNullOrEmpty(entity.Group) ? entity.ApiVersion : $"{entity.Group}/{entity.ApiVersion}";
        return Resolve(apiVersion, entity.Kind);
    }

    // ---------------------------------------------------------------- JSON

    public JsonObject? GetJson(ResourceType type, string? ns, string name) =>
        _registry.Store.Get(type.GroupResource, type.Namespaced ? ns : "", name)?.ToJsonObject();

    public IReadOnlyList<JsonObject> ListJson(ResourceType type, string? ns = null) =>
        _registry.Store.List(type.GroupResource, type.Namespaced ? ns : null).Select(o => o.ToJsonObject()).ToList();

    public JsonObject CreateJson(JsonObject obj)
    {
        var type = TypeOf(obj);
        return _registry.Create(type, NamespaceOf(type, obj), (JsonObject)obj.DeepClone(), WriteOptions.Internal(Manager)).ToJsonObject();
    }

    /// <summary>Creates the object, or replaces the existing one unconditionally (any resourceVersion).</summary>
    public JsonObject UpsertJson(JsonObject obj, string? subresource = null)
    {
        var type = TypeOf(obj);
        var ns = NamespaceOf(type, obj);
        var name = obj["metadata"].Str("name") ?? throw new ArgumentException("metadata.name is required");
        var copy = (JsonObject)obj.DeepClone();
        copy.Metadata().Remove("resourceVersion");
        try
        {
            return _registry.Update(type, ns, name, subresource, copy, WriteOptions.Internal(Manager)).ToJsonObject();
        }
        catch (ApiError e) when (e.Code == 404 && subresource is null)
        {
            return _registry.Create(type, ns, copy, WriteOptions.Internal(Manager)).ToJsonObject();
        }
    }

    /// <summary>
    /// Runs <paramref name="write"/> while the CRD <paramref name="crdName"/> has none of its CEL rules and patterns,
    /// then restores it. That is how an object the current CRD refuses exists in a real cluster: stored under an
    /// older, looser CRD (the API server does not re-validate stored objects when their CRD tightens, and ratcheting
    /// lets later writes keep the old values). Tests of what the operator does with such a pool use it.
    /// </summary>
    public async Task<T> WithLooserCrdAsync<T>(string crdName, Func<Task<T>> write)
    {
        var crdType = Resolve("apiextensions.k8s.io/v1", "CustomResourceDefinition");
        var original = GetJson(crdType, null, crdName) ?? throw new InvalidOperationException($"no CRD {crdName}");
        var looser = (JsonObject)original.DeepClone();
        foreach (var version in looser["spec"]?["versions"] as JsonArray ?? [])
            if (version?["schema"]?["openAPIV3Schema"] is JsonObject schema) WithoutRules(schema);
        UpsertJson(looser);
        try
        {
            return await write();
        }
        finally
        {
            UpsertJson(original);
        }
    }

    private static void WithoutRules(JsonObject schema)
    {
        // Only the keywords: a property that happens to be named "pattern" keeps its schema.
        if (schema["x-kubernetes-validations"] is JsonArray) schema.Remove("x-kubernetes-validations");
        if (schema["pattern"] is JsonValue) schema.Remove("pattern");
        foreach (var (_, child) in schema.ToList())
            switch (child)
            {
                case JsonObject nested: WithoutRules(nested); break;
                case JsonArray list:
                    foreach (var item in list.OfType<JsonObject>()) WithoutRules(item);
                    break;
            }
    }

    /// <summary>
    /// Deletes (Background propagation; a pod with its grace period unless <paramref name="gracePeriodSeconds"/> says
    /// otherwise, 0 being a kubelet's confirmation); false when it did not exist.
    /// </summary>
    public bool Delete(ResourceType type, string? ns, string name, string propagationPolicy = "Background", long? gracePeriodSeconds = null)
    {
        try
        {
            _registry.Delete(type, ns, name, new DeleteRequest(PropagationPolicy: propagationPolicy, GracePeriodSeconds: gracePeriodSeconds));
            return true;
        }
        catch (ApiError e) when (e.Code == 404)
        {
            return false;
        }
    }

    /// <summary>Creates or replaces every document of a YAML stream (e.g. CRD manifests); returns what was stored.</summary>
    public IReadOnlyList<JsonObject> ApplyYaml(string yaml)
    {
        var stored = new List<JsonObject>();
        foreach (var doc in yaml.Split(["\n---"], StringSplitOptions.RemoveEmptyEntries))
        {
            if (string.IsNullOrWhiteSpace(doc) || doc.Trim() == "---") continue;
            if (YamlToJson.Parse(doc) is JsonObject obj) stored.Add(UpsertJson(obj));
        }
        return stored;
    }

    /// <summary>A namespaced object without a namespace goes to "default", as with kubectl.</summary>
    private static string? NamespaceOf(ResourceType type, JsonObject obj) =>
        type.Namespaced ? obj["metadata"].Str("namespace") ?? "default" : null;

    private ResourceType TypeOf(JsonObject obj) =>
        Resolve(obj.Str("apiVersion") ?? throw new ArgumentException("apiVersion is required"),
            obj.Str("kind") ?? throw new ArgumentException("kind is required"));

    // ---------------------------------------------------------------- typed

    public T? Get<T>(string? ns, string name) where T : class =>
        GetJson(Resolve<T>(), ns, name) is { } o ? FromJson<T>(o) : null;

    public IReadOnlyList<T> List<T>(string? ns = null) where T : class =>
        ListJson(Resolve<T>(), ns).Select(FromJson<T>).ToList();

    public T Create<T>(T obj) where T : class => FromJson<T>(CreateJson(ToJson(obj)));

    public T Upsert<T>(T obj) where T : class => FromJson<T>(UpsertJson(ToJson(obj)));

    /// <summary>Replaces the status only (as the status subresource does).</summary>
    public T UpdateStatus<T>(T obj) where T : class => FromJson<T>(UpsertJson(ToJson(obj), "status"));

    public bool Delete<T>(string? ns, string name, string propagationPolicy = "Background", long? gracePeriodSeconds = null) where T : class =>
        Delete(Resolve<T>(), ns, name, propagationPolicy, gracePeriodSeconds);

    private JsonObject ToJson<T>(T obj)
    {
        var json = JsonNode.Parse(KubernetesJson.Serialize(obj)) as JsonObject ?? throw new ArgumentException("not an object");
        if (json.Str("apiVersion") is null || json.Str("kind") is null)
        {
            var type = Resolve<T>();
            json["apiVersion"] = type.ApiVersion;
            json["kind"] = type.Kind;
        }
        return json;
    }

    private static T FromJson<T>(JsonObject obj) => KubernetesJson.Deserialize<T>(JsonUtil.ToJson(obj));
}
