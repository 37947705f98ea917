using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace WsPool.Operator.Reconciling;

/// <summary>
/// Decides whether an owned object needs a server-side apply. Two checks: the object carries the hash of the current
/// intent (so a changed intent — including a field the intent dropped — is always applied), and every field of the
/// intent still has its value in the live object (so someone editing a managed field is repaired). Fields the server
/// or other managers added are ignored, as apply ignores them. The second check needs the whole object; the cache
/// keeps one only until it passed (see <see cref="Kubernetes.OwnedKind{T,TList}"/>).
/// </summary>
public static class AppliedIntent
{
    /// <summary>
    /// Cached objects known to hold an intent, with that intent's hash. Cached objects are never mutated (an update
    /// replaces the instance), so an object that held hash H still does: the comparison runs once per object version.
    /// </summary>
    private static readonly ConditionalWeakTable<IKubernetesObject<V1ObjectMeta>, string> Verified = new();

    /// <summary>Stamps the intent with the hash of its own content (computed without the stamp).</summary>
    public static string Stamp(IKubernetesObject<V1ObjectMeta> intent)
    {
        intent.Metadata.Annotations?.Remove(FieldManager.AppliedHashAnnotation);
        var json = KubernetesJson.Serialize(intent);
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(json)))[..16];
        intent.Metadata.Annotations ??= new Dictionary<string, string>();
        intent.Metadata.Annotations[FieldManager.AppliedHashAnnotation] = hash;
        return hash;
    }

    /// <summary>True when applying the (stamped) intent would change nothing the operator manages.</summary>
    public static bool IsSatisfiedBy(IKubernetesObject<V1ObjectMeta> intent, IKubernetesObject<V1ObjectMeta>? live) =>
        live is not null && IsSatisfiedByJson(intent, Encoding.UTF8.GetBytes(KubernetesJson.Serialize(live)));

    /// <summary>As <see cref="IsSatisfiedBy(IKubernetesObject{V1ObjectMeta}, IKubernetesObject{V1ObjectMeta}?)"/>, for the live object as JSON.</summary>
    public static bool IsSatisfiedByJson(IKubernetesObject<V1ObjectMeta> intent, byte[] liveJson)
    {
        var liveNode = JsonNode.Parse(liveJson);
        var wanted = Annotation(intent, FieldManager.AppliedHashAnnotation);
        if (wanted is null || liveNode?["metadata"]?["annotations"]?[FieldManager.AppliedHashAnnotation]?.GetValue<string>() != wanted)
            return false;
        return IsSubset(Normalize(intent), liveNode);
    }

    /// <summary>Whether this very instance is known to hold everything the intent with this hash sets.</summary>
    public static bool IsVerified(IKubernetesObject<V1ObjectMeta> live, string hash) =>
        Verified.TryGetValue(live, out var verified) && verified == hash;

    /// <summary>Records that this instance holds everything the intent with this hash sets (a compact copy of one that did).</summary>
    public static void MarkVerified(IKubernetesObject<V1ObjectMeta> live, string hash) => Verified.AddOrUpdate(live, hash);

    public static string? Annotation(IKubernetesObject<V1ObjectMeta> obj, string name) =>
        obj.Metadata.Annotations is { } annotations && annotations.TryGetValue(name, out var value) ? value : null;

    private static JsonNode? Normalize(IKubernetesObject<V1ObjectMeta> intent)
    {
        var node = JsonNode.Parse(KubernetesJson.Serialize(intent))!.AsObject();
        node.Remove("status");
        // The API server folds a Secret's write-only stringData into data (base64); compare it there.
        if (node["stringData"] is JsonObject stringData)
        {
            var data = node["data"] as JsonObject ?? new JsonObject();
            foreach (var (key, value) in stringData.ToList())
                data[key] = Convert.ToBase64String(Encoding.UTF8.GetBytes(value?.GetValue<string>() ?? ""));
            node.Remove("stringData");
            node["data"] = data;
        }
        return node;
    }

    /// <summary>Every field of <paramref name="wanted"/> is in <paramref name="actual"/> with the same value; lists match item by item.</summary>
    public static bool IsSubset(JsonNode? wanted, JsonNode? actual)
    {
        switch (wanted)
        {
            case null:
                return true;
            case JsonObject wantedObject:
                if (actual is not JsonObject actualObject) return false;
                foreach (var (name, value) in wantedObject)
                {
                    if (value is null) continue;
                    if (!actualObject.TryGetPropertyValue(name, out var actualValue)) return IsEmpty(value);
                    if (!IsSubset(value, actualValue)) return false;
                }
                return true;
            case JsonArray wantedArray:
                if (actual is not JsonArray actualArray) return wantedArray.Count == 0 && actual is null;
                if (wantedArray.Count != actualArray.Count) return false;
                for (var i = 0; i < wantedArray.Count; i++)
                    if (!IsSubset(wantedArray[i], actualArray[i])) return false;
                return true;
            default:
                return actual is JsonValue && ScalarEquals((JsonValue)wanted, (JsonValue)actual);
        }
    }

    /// <summary>The API server drops empty maps and lists; an absent field satisfies an empty one.</summary>
    private static bool IsEmpty(JsonNode node) => node is JsonObject { Count: 0 } or JsonArray { Count: 0 };

    private static bool ScalarEquals(JsonValue wanted, JsonValue actual)
    {
        if (wanted.TryGetValue<decimal>(out var a) && actual.TryGetValue<decimal>(out var b)) return a == b;
        return wanted.ToJsonString() == actual.ToJsonString();
    }
}
