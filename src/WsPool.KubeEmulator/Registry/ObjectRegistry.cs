using System.Text;
using System.Text.Json.Nodes;
using WsPool.KubeEmulator.Apply;
using WsPool.KubeEmulator.Errors;
using WsPool.KubeEmulator.Json;
using WsPool.KubeEmulator.Patching;
using WsPool.KubeEmulator.Resources;
using WsPool.KubeEmulator.Schemas;
using WsPool.KubeEmulator.Selectors;
using WsPool.KubeEmulator.Storage;

namespace WsPool.KubeEmulator.Registry;

/// <summary>One page of a LIST.</summary>
public sealed record ListResult(IReadOnlyList<StoredObject> Items, long ResourceVersion, string? Continue, long? RemainingItemCount);

/// <summary>
/// The generic REST semantics of every resource (the API server's generic registry): create, get, list, update,
/// patch and delete with resourceVersion preconditions, server-managed metadata, generation, status and scale
/// subresources, finalizers and managedFields. Each call holds the store lock for its whole read-modify-write.
/// </summary>
public sealed partial class ObjectRegistry
{
    private readonly ObjectStore _store;
    private readonly ResourceCatalog _catalog;
    private readonly TimeProvider _time;
    private readonly Random _names;

    public ObjectRegistry(ObjectStore store, ResourceCatalog catalog, TimeProvider time, int seed)
    {
        _store = store;
        _catalog = catalog;
        _time = time;
        _names = new Random(seed);
    }

    public ObjectStore Store => _store;
    public ResourceCatalog Catalog => _catalog;

    private string Now() => KubeTime.Format(_time.GetUtcNow());

    // ---------------------------------------------------------------- reads

    public StoredObject Get(ResourceType type, string? ns, string name)
    {
        lock (_store.Sync) return GetExisting(type, ns, name);
    }

    private StoredObject GetExisting(ResourceType type, string? ns, string name) =>
        _store.GetUnlocked(type.GroupResource, Scope(type, ns), name) ?? throw ApiError.NotFound(type.Group, type.Plural, name);

    public ListResult List(ResourceType type, string? ns, LabelSelector labels, FieldSelector fields, int? limit, string? continueToken)
    {
        lock (_store.Sync)
        {
            var rv = _store.CurrentResourceVersionUnlocked;
            (string Ns, string Name)? after = null;
            if (!string.IsNullOrEmpty(continueToken))
            {
                var decoded = ContinueToken.Decode(continueToken);
                after = (decoded.Namespace, decoded.Name);
            }
            var items = new List<StoredObject>();
            string? next = null;
            long remaining = 0;
            foreach (var o in _store.ListUnlocked(type.GroupResource, type.Namespaced ? ns : null))
            {
                if (after is { } a && string.CompareOrdinal(o.Namespace, a.Ns) is var c && (c < 0 || (c == 0 && string.CompareOrdinal(o.Name, a.Name) <= 0)))
                    continue;
                if (!labels.Matches(o.Labels) || !fields.Matches(o)) continue;
                if (limit is > 0 && items.Count >= limit)
                {
                    next ??= ContinueToken.Encode(items[^1].Namespace, items[^1].Name, rv);
                    remaining++;
                    continue;
                }
                items.Add(o);
            }
            return new ListResult(items, rv, next, next is null ? null : remaining);
        }
    }

    // ---------------------------------------------------------------- create

    public StoredObject Create(ResourceType type, string? ns, JsonObject body, WriteOptions options)
    {
        lock (_store.Sync) return CreateUnlocked(type, ns, body, options, trackFields: true, DecodeSource.Body);
    }

    private StoredObject CreateUnlocked(ResourceType type, string? ns, JsonObject body, WriteOptions options, bool trackFields, DecodeSource source)
    {
        Validation.TypeMeta(type, body);
        Decode(type, body, options, source);
        var meta = body.Metadata();
        ns = Scope(type, ns);
        CheckNamespace(type, ns, meta);
        if (ns.Length > 0) meta["namespace"] = ns; else meta.Remove("namespace");

        var name = meta.Str("name");
        if (string.IsNullOrEmpty(name))
        {
            var prefix = meta.Str("generateName");
            if (string.IsNullOrEmpty(prefix))
                throw ApiError.Invalid(type.Group, type.Kind, "", ("metadata.name", "Required value: name or generateName is required"));
            do name = prefix + RandomSuffix(); while (_store.GetUnlocked(type.GroupResource, ns, name) is not null);
            meta["name"] = name;
        }
        Validation.Name(type, name);
        RequireNamespaceAccepting(type, ns, name);
        if (_store.GetUnlocked(type.GroupResource, ns, name) is not null) throw ApiError.AlreadyExists(type.Group, type.Plural, name);

        meta["uid"] = Guid.NewGuid().ToString();
        meta["creationTimestamp"] = Now();
        meta["generation"] = 1;
        meta.Remove("resourceVersion");
        meta.Remove("deletionTimestamp");
        meta.Remove("deletionGracePeriodSeconds");
        meta.Remove("selfLink");
        if (type.HasStatus) body.Remove("status");
        ValidateCrd(type, body, name);
        Validation.Deployment(type, body, name);
        Defaulting.OnCreate(type, body, this);
        if (type.Schema is { } schema && schema.Validate(body, null, options.Warnings) is { Count: > 0 } invalid)
            throw InvalidStatus.Error(type.Group, type.Kind, name, invalid);
        if (trackFields)
        {
            meta.Remove("managedFields");
            ManagedFields.TrackUpdate(type, null, body, options.FieldManager, null, Now());
        }
        var canonical = Canonical(body);
        if (options.DryRun) return new StoredObject(type, canonical, _store.CurrentResourceVersionUnlocked);
        var stored = _store.Put(type, canonical, null);
        AfterWrite(type, null, stored);
        return stored;
    }

    private string RandomSuffix()
    {
        const string alphabet = "bcdfghjklmnpqrstvwxz2456789";
        Span<char> s = stackalloc char[5];
        for (var i = 0; i < s.Length; i++) s[i] = alphabet[_names.Next(alphabet.Length)];
        return new string(s);
    }

    // ---------------------------------------------------------------- update (PUT)

    public StoredObject Update(ResourceType type, string? ns, string name, string? subresource, JsonObject body, WriteOptions options)
    {
        lock (_store.Sync)
        {
            var existing = GetExisting(type, ns, name);
            Validation.TypeMeta(type, body);
            Decode(type, body, options, DecodeSource.Body);
            CheckIdentity(type, ns, name, body);
            var rv = body["metadata"].Str("resourceVersion");
            if (!string.IsNullOrEmpty(rv) && rv != existing.ResourceVersion.ToString())
                throw ApiError.StaleObject(type.Group, type.Plural, name);
            return CommitUpdate(type, existing, body, subresource, options, apply: false);
        }
    }

    // ---------------------------------------------------------------- patch

    public (StoredObject Object, bool Created) Patch(ResourceType type, string? ns, string name, string? subresource,
        PatchKind kind, string body, WriteOptions options)
    {
        lock (_store.Sync)
        {
            ns = Scope(type, ns);
            var existing = _store.GetUnlocked(type.GroupResource, ns, name);
            if (kind == PatchKind.Apply) return ApplyPatch(type, ns, name, subresource, existing, body, options);
            if (existing is null) throw ApiError.NotFound(type.Group, type.Plural, name);
            var live = existing.ToJsonObject();
            JsonObject patched;
            try
            {
                patched = kind switch
                {
                    PatchKind.Json => JsonPatch.Apply(live, JsonNode.Parse(body) as JsonArray
                        ?? throw ApiError.BadRequest("a JSON patch must be an array of operations")) as JsonObject
                        ?? throw ApiError.BadRequest("the patched document is not an object"),
                    PatchKind.Merge => JsonMergePatch.Apply(live, ParseObject(body)) as JsonObject ?? new JsonObject(),
                    _ when type.IsCustom => throw ApiError.UnsupportedMediaType("application/strategic-merge-patch+json"),
                    _ => StrategicMergePatch.Apply(type, live, ParseObject(body)),
                };
            }
            catch (System.Text.Json.JsonException e)
            {
                throw ApiError.BadRequest($"error decoding patch: {e.Message}");
            }
            Validation.TypeMeta(type, patched);
            Decode(type, patched, options, DecodeSource.Patch);
            CheckIdentity(type, ns, name, patched);
            var rv = patched["metadata"].Str("resourceVersion");
            if (!string.IsNullOrEmpty(rv) && rv != existing.ResourceVersion.ToString())
                throw ApiError.StaleObject(type.Group, type.Plural, name);
            return (CommitUpdate(type, existing, patched, subresource, options, apply: false, live), false);
        }
    }

    private (StoredObject, bool) ApplyPatch(ResourceType type, string ns, string name, string? subresource,
        StoredObject? existing, string body, WriteOptions options)
    {
        if (string.IsNullOrEmpty(options.FieldManager) || options.FieldManager == DefaultManager)
            throw ApiError.Invalid(type.Group, type.Kind, name, ("fieldManager", "Required value: is required for apply patch"));
        JsonObject applied;
        try
        {
            applied = YamlToJson.Parse(body) as JsonObject ?? throw ApiError.BadRequest("the apply configuration must be an object");
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or YamlDotNet.Core.YamlException)
        {
            throw ApiError.BadRequest($"error decoding YAML: {e.Message}");
        }
        Validation.TypeMeta(type, applied, required: true);
        CheckIdentity(type, ns, name, applied);
        RejectUndeclaredFields(type, ns, name, applied);
        var meta = applied.Metadata();
        var rv = meta.Str("resourceVersion");
        meta.Remove("resourceVersion");
        meta.Remove("managedFields");
        if (!string.IsNullOrEmpty(rv) && (existing is null || rv != existing.ResourceVersion.ToString()))
            throw existing is null ? ApiError.NotFound(type.Group, type.Plural, name) : ApiError.StaleObject(type.Group, type.Plural, name);

        if (existing is null)
        {
            if (subresource is not null) throw ApiError.NotFound(type.Group, type.Plural, name);
            var created = ServerSideApply.Apply(type, null, applied, options.FieldManager, options.Force, null, Now());
            created.Metadata()["name"] = name;
            if (ns.Length > 0) created.Metadata()["namespace"] = ns;
            return (CreateUnlocked(type, ns, created, options, trackFields: false, DecodeSource.Apply), true);
        }
        var live = existing.ToJsonObject();
        var merged = ServerSideApply.Apply(type, live, applied, options.FieldManager, options.Force, subresource, Now());
        Decode(type, merged, options, DecodeSource.Apply);
        return (CommitUpdate(type, existing, merged, subresource, options, apply: true, live), false);
    }

    // ---------------------------------------------------------------- the common update path

    /// <summary>
    /// Turns a candidate into the next version of <paramref name="existing"/>: server-owned metadata is kept,
    /// a status write changes only status and a main write never changes status (when status is a subresource),
    /// generation grows when anything but metadata/status changed, managedFields are tracked, and a write that
    /// changes nothing is not stored at all (same resourceVersion, no event), as in the API server.
    /// </summary>
    internal StoredObject CommitUpdate(ResourceType type, StoredObject existing, JsonObject candidate, string? subresource,
        WriteOptions options, bool apply, JsonObject? parsedExisting = null)
    {
        var old = parsedExisting ?? existing.ToJsonObject();
        var oldMeta = old.Metadata();
        JsonObject next;
        if (subresource == "status")
        {
            next = (JsonObject)old.DeepClone();
            if (candidate["status"] is { } status) next["status"] = status.DeepClone(); else next.Remove("status");
            if (apply) next.Metadata()["managedFields"] = candidate["metadata"]?["managedFields"]?.DeepClone();
        }
        else
        {
            next = candidate; // callers pass a copy of their own
            if (type.HasStatus)
            {
                if (old["status"] is { } status) next["status"] = status.DeepClone(); else next.Remove("status");
            }
        }
        var meta = next.Metadata();
        foreach (var key in new[] { "name", "namespace", "uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "generation" })
        {
            if (oldMeta[key] is { } v) meta[key] = v.DeepClone(); else meta.Remove(key);
        }
        meta.Remove("selfLink");
        meta["resourceVersion"] = existing.ResourceVersion.ToString();
        if (existing.IsDeleting && NewFinalizers(old, next) is { Count: > 0 } added)
            throw ApiError.Forbidden(type.Group, type.Plural, existing.Name,
                $"no new finalizers can be added if the object is being deleted, found new finalizers [{string.Join(" ", added)}]");

        if (!apply)
        {
            if (oldMeta["managedFields"] is { } mf) meta["managedFields"] = mf.DeepClone(); else meta.Remove("managedFields");
            ManagedFields.TrackUpdate(type, old, next, options.FieldManager, subresource, Now());
        }
        if (meta["managedFields"] is null) meta.Remove("managedFields");

        if (type.Schema is { } schema)
        {
            var invalid = subresource == "status" ? schema.ValidateStatus(next, old, options.Warnings) : schema.Validate(next, old, options.Warnings);
            if (invalid.Count > 0) throw InvalidStatus.Error(type.Group, type.Kind, existing.Name, invalid);
        }
        if (subresource != "status")
        {
            ValidateCrd(type, next, existing.Name);
            Validation.Deployment(type, next, existing.Name);
        }

        if (SpecChanged(type, old, next)) meta["generation"] = (oldMeta.Long("generation") ?? 1) + 1;
        Defaulting.OnUpdate(type, old, next);

        if (SameIgnoringTimestamps(old, next)) return existing;
        var canonical = Canonical(next);
        if (options.DryRun) return new StoredObject(type, canonical, existing.ResourceVersion);

        if (existing.IsDeleting && (canonical["metadata"]?["finalizers"] is not JsonArray { Count: > 0 })
            && (canonical["metadata"].Long("deletionGracePeriodSeconds") ?? 0) == 0)
        {
            var gone = _store.Remove(existing, canonical);
            AfterDelete(type, gone);
            return gone;
        }
        var stored = _store.Put(type, canonical, existing);
        AfterWrite(type, existing, stored);
        return stored;
    }

    private static List<string> NewFinalizers(JsonObject old, JsonObject next)
    {
        var before = (old["metadata"]?["finalizers"] as JsonArray)?.Select(JsonUtil.ScalarText).ToHashSet() ?? [];
        return (next["metadata"]?["finalizers"] as JsonArray)?.Select(JsonUtil.ScalarText).OfType<string>()
            .Where(f => !before.Contains(f)).ToList() ?? [];
    }

    /// <summary>Generation tracks the desired state: anything but metadata (and status, when it is a subresource).</summary>
    private static bool SpecChanged(ResourceType type, JsonObject old, JsonObject next)
    {
        var names = old.Select(p => p.Key).Concat(next.Select(p => p.Key)).Distinct();
        foreach (var name in names)
        {
            if (name is "metadata" or "apiVersion" or "kind") continue;
            if (name == "status" && type.HasStatus) continue;
            if (!JsonNode.DeepEquals(old[name], next[name])) return true;
        }
        return false;
    }

    /// <summary>Equal apart from resourceVersion and managedFields timestamps: such a write is a no-op.</summary>
    private static bool SameIgnoringTimestamps(JsonObject old, JsonObject next) =>
        SameExcept(old, next, (name, a, b) => name == "metadata" && a is JsonObject ma && b is JsonObject mb
            ? SameExcept(ma, mb, (field, x, y) => field switch
            {
                "resourceVersion" => true,
                "managedFields" => SameManagedFields(x, y),
                _ => JsonNode.DeepEquals(x, y),
            })
            : JsonNode.DeepEquals(a, b));

    private static bool SameManagedFields(JsonNode? a, JsonNode? b)
    {
        if (a is not JsonArray x || b is not JsonArray y || x.Count != y.Count) return JsonNode.DeepEquals(a, b);
        for (var i = 0; i < x.Count; i++)
        {
            if (x[i] is not JsonObject ex || y[i] is not JsonObject ey) return false;
            if (!SameExcept(ex, ey, (field, p, q) => field == "time" || JsonNode.DeepEquals(p, q))) return false;
        }
        return true;
    }

    /// <summary>Same property names, and <paramref name="same"/> holds for each pair of values.</summary>
    private static bool SameExcept(JsonObject a, JsonObject b, Func<string, JsonNode?, JsonNode?, bool> same)
    {
        if (a.Count != b.Count) return false;
        foreach (var (name, value) in a)
            if (!b.TryGetPropertyValue(name, out var other) || !same(name, value, other)) return false;
        return true;
    }

    /// <summary>apiVersion, kind, metadata first, as the API server serialises objects (nodes are moved, not copied).</summary>
    private static JsonObject Canonical(JsonObject obj)
    {
        var properties = obj.ToList();
        obj.Clear();
        var result = new JsonObject();
        foreach (var key in new[] { "apiVersion", "kind", "metadata" })
            foreach (var (k, v) in properties)
                if (k == key) result[k] = v;
        foreach (var (k, v) in properties)
            if (k is not ("apiVersion" or "kind" or "metadata")) result[k] = v;
        return result;
    }

    // ---------------------------------------------------------------- schemas

    private enum DecodeSource { Body, Patch, Apply }

    /// <summary>
    /// What the API server's decoder does to a custom resource: prune unknown fields, drop non-nullable nulls, apply
    /// defaults. Pruned fields are warnings (fieldValidation=Warn, the default), nothing (Ignore), or refuse the
    /// request (Strict): 400 for a body, 422 on the patched object for a patch.
    /// </summary>
    private static void Decode(ResourceType type, JsonObject obj, WriteOptions options, DecodeSource source)
    {
        if (type.Schema is not { } schema) return;
        var before = source == DecodeSource.Patch && options.FieldValidation == "Strict" ? GoFormat.Json(obj) : null;
        var unknown = schema.Decode(obj);
        if (unknown.Count == 0 || options.FieldValidation == "Ignore" || source == DecodeSource.Apply) return;
        var messages = unknown.Select(p => $"unknown field \"{p}\"").ToList();
        if (options.FieldValidation != "Strict")
        {
            options.Warnings.AddRange(messages);
            return;
        }
        var text = "strict decoding error: " + string.Join(", ", messages);
        if (source == DecodeSource.Patch)
            throw InvalidStatus.Error("", "", "", [FieldError.Invalid("patch", FieldValue.Of(before!), text)]);
        throw ApiError.BadRequest(text);
    }

    /// <summary>
    /// Server-side apply types the apply configuration with the CRD's schema before merging: a field the schema does
    /// not declare fails the request (whatever fieldValidation says), with structured-merge-diff's message.
    /// </summary>
    private static void RejectUndeclaredFields(ResourceType type, string ns, string name, JsonObject applied)
    {
        if (type.Schema is not { } schema) return;
        var undeclared = schema.UnknownFields(applied).Where(p => !p.StartsWith("metadata.", StringComparison.Ordinal)).ToList();
        if (undeclared.Count == 0) return;
        var problems = undeclared.Select(p => $".{p}: field not declared in schema").ToList();
        var detail = problems.Count == 1 ? problems[0] : "errors:\n" + string.Join("\n", problems.Select(p => "  " + p));
        var gvk = $"{type.ApiVersion}, Kind={type.Kind}";
        throw new ApiError(500, "", $"failed to create typed patch object ({ns}/{name}; {gvk}): {detail}");
    }

    /// <summary>A CustomResourceDefinition must pass the apiextensions checks (structural schema, defaults, CEL).</summary>
    private static void ValidateCrd(ResourceType type, JsonObject crd, string name)
    {
        if (type.GroupResource != BuiltInResources.CustomResourceDefinitions.GroupResource) return;
        if (CrdValidator.Validate(crd) is { Count: > 0 } errors)
            throw InvalidStatus.Error(CrdValidator.Group, CrdValidator.Kind, name, errors);
    }

    // ---------------------------------------------------------------- helpers

    private static string Scope(ResourceType type, string? ns) => type.Namespaced ? ns ?? "" : "";

    private static void CheckNamespace(ResourceType type, string ns, JsonObject meta)
    {
        var bodyNs = meta.Str("namespace");
        if (type.Namespaced && !string.IsNullOrEmpty(bodyNs) && bodyNs != ns)
            throw ApiError.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
        if (type.Namespaced && ns.Length == 0)
            throw ApiError.BadRequest($"{type.Plural} is namespaced: a namespace is required");
    }

    private void CheckIdentity(ResourceType type, string? ns, string name, JsonObject body)
    {
        var meta = body.Metadata();
        var bodyName = meta.Str("name");
        if (!string.IsNullOrEmpty(bodyName) && bodyName != name)
            throw ApiError.BadRequest($"the name of the object ({bodyName}) does not match the name on the URL ({name})");
        CheckNamespace(type, Scope(type, ns), meta);
    }

    private void RequireNamespaceAccepting(ResourceType type, string ns, string name)
    {
        if (!type.Namespaced) return;
        var namespaceObject = _store.GetUnlocked(BuiltInResources.Namespaces.GroupResource, "", ns)
            ?? throw ApiError.NotFound("", "namespaces", ns);
        if (namespaceObject.IsDeleting)
            throw ApiError.Forbidden(type.Group, type.Plural, name,
                $"unable to create new content in namespace {ns} because it is being terminated");
    }

    private static JsonObject ParseObject(string body) =>
        JsonNode.Parse(body) as JsonObject ?? throw ApiError.BadRequest("the patch must be a JSON object");

    internal const string DefaultManager = "unknown";

    private void AfterWrite(ResourceType type, StoredObject? before, StoredObject after)
    {
        if (type.GroupResource == BuiltInResources.CustomResourceDefinitions.GroupResource)
            CrdRegistrar.Register(_catalog, after.ToJsonObject());
    }

    private void AfterDelete(ResourceType type, StoredObject gone)
    {
        if (type.GroupResource == BuiltInResources.CustomResourceDefinitions.GroupResource)
        {
            var crd = gone.ToJsonObject();
            foreach (var served in CrdRegistrar.TypesOf(crd))
                foreach (var o in _store.ListUnlocked(served.GroupResource, null).ToList())
                    _store.Remove(o);
            CrdRegistrar.Unregister(_catalog, crd);
        }
    }
}

/// <summary>A LIST continue token: where the previous page ended.</summary>
internal static class ContinueToken
{
    public static string Encode(string ns, string name, long rv) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes($"{rv}\n{ns}\n{name}"));

    public static (long ResourceVersion, string Namespace, string Name) Decode(string token)
    {
        try
        {
            var parts = Encoding.UTF8.GetString(Convert.FromBase64String(token)).Split('\n');
            return (long.Parse(parts[0]), parts[1], parts[2]);
        }
        catch (Exception e) when (e is FormatException or IndexOutOfRangeException)
        {
            throw ApiError.BadRequest("continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)");
        }
    }
}
