using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using k8s;
using k8s.Models;

namespace WsPool.Operator.Kubernetes;

/// <summary>
/// The fields a manager owns through server-side apply, as the API server records them in <c>managedFields</c>.
/// The server keeps that set current on every write: a field someone else changes or removes leaves the applier's
/// set (the structured-merge-diff ownership rule), while status writes and fields nobody applied leave it alone. So
/// an unchanged set since the operator's last apply means every field it set still holds the value it set, and
/// comparing digests of the set replaces comparing whole objects.
/// </summary>
public static class OwnedFields
{
    /// <summary>
    /// A digest of the fields <paramref name="manager"/> owns by apply on the object itself (not a subresource), or
    /// null when it owns none there.
    /// </summary>
    public static UInt128? Digest(IKubernetesObject<V1ObjectMeta> obj, string manager)
    {
        if (obj.Metadata.ManagedFields is not { } entries) return null;
        foreach (var entry in entries)
        {
            if (entry.Manager != manager || entry.Operation != "Apply" || !string.IsNullOrEmpty(entry.Subresource)) continue;
            return entry.FieldsV1 is null ? null : Hash(entry.FieldsV1);
        }
        return null;
    }

    /// <summary>The first 128 bits of a SHA-256: kept per cached object, so a number rather than a string.</summary>
    private static UInt128 Hash(object fieldsV1)
    {
        // The client reads fieldsV1 as a JsonElement; its bytes are what the server sent, so no re-serialising.
        var digest = fieldsV1 is JsonElement element
            ? SHA256.HashData(JsonMarshal.GetRawUtf8Value(element))
            : SHA256.HashData(Encoding.UTF8.GetBytes(KubernetesJson.Serialize(fieldsV1)));
        return BinaryPrimitives.ReadUInt128LittleEndian(digest);
    }
}
