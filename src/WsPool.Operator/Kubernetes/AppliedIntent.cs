using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using k8s;
using k8s.Models;

namespace WsPool.Operator.Kubernetes;

/// <summary>
/// Decides whether an owned object needs a server-side apply. Two checks: the object carries the hash of the current
/// intent (so a changed intent — including a field the intent dropped — is always applied), and every field of the
/// intent still has its value in the live object (so someone editing a managed field is repaired). Fields the server
/// or other managers added are ignored, as apply ignores them. The second check needs the whole object; the cache
/// keeps one only until it passed (see <see cref="OwnedKind{T,TList}"/>).
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
    /// <remarks>
    /// Both sides are read as <see cref="JsonDocument"/>s, whose buffers are pooled: a restarted operator compares
    /// thousands of objects within seconds, and node trees for each made that burst the operator's memory peak.
    /// </remarks>
    public static bool IsSatisfiedByJson(IKubernetesObject<V1ObjectMeta> intent, byte[] liveJson)
    {
        var wanted = Annotation(intent, FieldManager.AppliedHashAnnotation);
        using var live = JsonDocument.Parse(liveJson);
        if (wanted is null || !live.RootElement.TryGetProperty("metadata", out var metadata)
            || !metadata.TryGetProperty("annotations", out var annotations)
            || !annotations.TryGetProperty(FieldManager.AppliedHashAnnotation, out var stamped)
            || stamped.ValueKind != JsonValueKind.String || !stamped.ValueEquals(wanted))
            return false;
        using var want = JsonDocument.Parse(KubernetesJson.Serialize(intent));
        foreach (var field in want.RootElement.EnumerateObject())
        {
            var holds = field.Name switch
            {
                "status" => true,
                // The API server folds a Secret's write-only stringData into data (base64); compare it there.
                "stringData" => StringDataHolds(field.Value, live.RootElement),
                _ => FieldHolds(field.Value, live.RootElement, field.Name),
            };
            if (!holds) return false;
        }
        return true;
    }

    /// <summary>Whether this very instance is known to hold everything the intent with this hash sets.</summary>
    public static bool IsVerified(IKubernetesObject<V1ObjectMeta> live, string hash) =>
        Verified.TryGetValue(live, out var verified) && verified == hash;

    /// <summary>Records that this instance holds everything the intent with this hash sets (a compact copy of one that did).</summary>
    public static void MarkVerified(IKubernetesObject<V1ObjectMeta> live, string hash) => Verified.AddOrUpdate(live, hash);

    public static string? Annotation(IKubernetesObject<V1ObjectMeta> obj, string name) =>
        obj.Metadata.Annotations is { } annotations && annotations.TryGetValue(name, out var value) ? value : null;

    private static bool StringDataHolds(JsonElement stringData, JsonElement live)
    {
        if (stringData.ValueKind != JsonValueKind.Object) return true;
        live.TryGetProperty("data", out var data);
        foreach (var entry in stringData.EnumerateObject())
        {
            var encoded = Convert.ToBase64String(Encoding.UTF8.GetBytes(entry.Value.GetString() ?? ""));
            if (data.ValueKind != JsonValueKind.Object || !data.TryGetProperty(entry.Name, out var stored)
                || stored.ValueKind != JsonValueKind.String || !stored.ValueEquals(encoded))
                return false;
        }
        return true;
    }

    /// <summary>The wanted value of one field is in <paramref name="actualObject"/>, or it is empty and the server dropped it.</summary>
    private static bool FieldHolds(JsonElement wanted, JsonElement actualObject, string name)
    {
        if (wanted.ValueKind == JsonValueKind.Null) return true;
        return actualObject.TryGetProperty(name, out var actual) ? IsSubset(wanted, actual) : IsEmpty(wanted);
    }

    /// <summary>Every field of <paramref name="wanted"/> is in <paramref name="actual"/> with the same value; lists match item by item.</summary>
    public static bool IsSubset(JsonElement wanted, JsonElement actual)
    {
        switch (wanted.ValueKind)
        {
            case JsonValueKind.Object:
                if (actual.ValueKind != JsonValueKind.Object) return false;
                foreach (var field in wanted.EnumerateObject())
                    if (!FieldHolds(field.Value, actual, field.Name)) return false;
                return true;
            case JsonValueKind.Array:
                if (actual.ValueKind != JsonValueKind.Array) return wanted.GetArrayLength() == 0 && actual.ValueKind == JsonValueKind.Null;
                if (wanted.GetArrayLength() != actual.GetArrayLength()) return false;
                using (var w = wanted.EnumerateArray())
                using (var a = actual.EnumerateArray())
                {
                    while (w.MoveNext() && a.MoveNext())
                        if (!IsSubset(w.Current, a.Current)) return false;
                }
                return true;
            case JsonValueKind.Number:
                return actual.ValueKind == JsonValueKind.Number
                    && (wanted.TryGetDecimal(out var x) && actual.TryGetDecimal(out var y) ? x == y : wanted.GetRawText() == actual.GetRawText());
            case JsonValueKind.String:
                return actual.ValueKind == JsonValueKind.String && actual.ValueEquals(wanted.GetString());
            default:
                return wanted.ValueKind == actual.ValueKind;
        }
    }

    /// <summary>The API server drops empty maps and lists; an absent field satisfies an empty one.</summary>
    private static bool IsEmpty(JsonElement value) =>
        value.ValueKind is JsonValueKind.Object ? !value.EnumerateObject().Any()
        : value.ValueKind is JsonValueKind.Array && value.GetArrayLength() == 0;
}
