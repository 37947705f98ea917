using System.Text.Json.Nodes;
using WsPool.KubeEmulator.Json;
using WsPool.KubeEmulator.Resources;

namespace WsPool.KubeEmulator.Storage;

/// <summary>
/// One stored object version: immutable, kept as serialised JSON (so LIST and WATCH copy bytes instead of
/// re-serialising) plus the few fields that indexes and selectors need.
/// </summary>
public sealed class StoredObject
{
    internal StoredObject(ResourceType type, JsonObject obj, long resourceVersion)
    {
        Type = type;
        var meta = obj["metadata"] as JsonObject ?? new JsonObject();
        Namespace = meta.Str("namespace") ?? "";
        Name = meta.Str("name") ?? "";
        Uid = meta.Str("uid") ?? "";
        ResourceVersion = resourceVersion;
        Labels = JsonUtil.StringMap(meta["labels"]);
        OwnerUids = (meta["ownerReferences"] as JsonArray)?.Select(r => r.Str("uid")).OfType<string>().ToArray() ?? [];
        Finalizers = (meta["finalizers"] as JsonArray)?.Select(f => JsonUtil.ScalarText(f)).OfType<string>().ToArray() ?? [];
        IsDeleting = meta["deletionTimestamp"] is not null;
        Json = JsonUtil.ToBytes(obj);
    }

    /// <summary>The resource version (apiVersion) the object was written through.</summary>
    public ResourceType Type { get; }
    public string Namespace { get; }
    public string Name { get; }
    public string Uid { get; }
    public long ResourceVersion { get; }
    public IReadOnlyDictionary<string, string> Labels { get; }
    public IReadOnlyList<string> OwnerUids { get; }
    public IReadOnlyList<string> Finalizers { get; }
    public bool IsDeleting { get; }
    public byte[] Json { get; }

    /// <summary>A fresh mutable copy.</summary>
    public JsonObject ToJsonObject() => JsonUtil.ParseObject(Json);

    /// <summary>The JSON as served through <paramref name="served"/> (apiVersion rewritten when versions differ).</summary>
    public byte[] JsonFor(ResourceType served)
    {
        var redefault = served.Schema is not null && !ReferenceEquals(served.Schema, Type.Schema);
        if (served.ApiVersion == Type.ApiVersion && !redefault) return Json;
        var copy = ToJsonObject();
        copy["apiVersion"] = served.ApiVersion;
        // The API server defaults on every read: an object stored before a default was added gets it when served.
        if (redefault) served.Schema!.Default(copy);
        return JsonUtil.ToBytes(copy);
    }

    public override string ToString() => $"{Type.Plural} {Namespace}/{Name}@{ResourceVersion}";
}
