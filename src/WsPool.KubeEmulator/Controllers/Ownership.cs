using System.Text.Json.Nodes;
using WsPool.KubeEmulator.Json;
using WsPool.KubeEmulator.Resources;
using WsPool.KubeEmulator.Storage;

namespace WsPool.KubeEmulator.Controllers;

/// <summary>
/// Controller ownership as kube-controller-manager uses it: an object belongs to the owner its ownerReference with
/// <c>controller: true</c> names (so the garbage collector removes it with its owner), and an owner acts only on
/// what it controls, not on everything its selector happens to match.
/// </summary>
internal static class Ownership
{
    public static JsonObject ControllerReference(ResourceType ownerType, StoredObject owner) => new()
    {
        ["apiVersion"] = ownerType.ApiVersion,
        ["kind"] = ownerType.Kind,
        ["name"] = owner.Name,
        ["uid"] = owner.Uid,
        ["controller"] = true,
        ["blockOwnerDeletion"] = true,
    };

    public static string? ControllerUid(JsonObject obj)
    {
        foreach (var reference in obj["metadata"]?["ownerReferences"] as JsonArray ?? [])
            if (reference is JsonObject r && r["controller"] is JsonValue c && c.TryGetValue<bool>(out var isController) && isController)
                return r.Str("uid");
        return null;
    }

    /// <summary>The objects of <paramref name="type"/> that <paramref name="owner"/> controls, parsed.</summary>
    public static List<(StoredObject Stored, JsonObject Json)> Controlled(ObjectStore store, StoredObject owner, ResourceType type)
    {
        var result = new List<(StoredObject, JsonObject)>();
        foreach (var dependent in store.DependentsUnlocked(owner.Uid))
        {
            if (dependent.Type.GroupResource != type.GroupResource) continue;
            var json = dependent.ToJsonObject();
            if (ControllerUid(json) == owner.Uid) result.Add((dependent, json));
        }
        return result;
    }

    /// <summary>The owners of <paramref name="obj"/> that are of <paramref name="type"/> and still exist.</summary>
    public static IEnumerable<StoredObject> OwnersOfType(ObjectStore store, StoredObject obj, ResourceType type)
    {
        foreach (var uid in obj.OwnerUids)
            if (store.ByUidUnlocked(uid) is { } owner && owner.Type.GroupResource == type.GroupResource)
                yield return owner;
    }
}
