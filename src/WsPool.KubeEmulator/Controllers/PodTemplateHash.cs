using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using WsPool.KubeEmulator.Json;

namespace WsPool.KubeEmulator.Controllers;

/// <summary>
/// The <c>pod-template-hash</c> label: a short name for one pod template, so each template a Deployment had gets
/// its own ReplicaSet (<c>&lt;deployment&gt;-&lt;hash&gt;</c>) and the pods of different templates have different
/// labels. A 32-bit FNV-1a hash of the template's canonical JSON (keys sorted, so field order does not matter) and
/// the Deployment's collisionCount (raised when the name is taken, for a new name), written in the API's
/// vowel-free alphabet (no words in names). The values differ from a real cluster's, which hashes Go's printed form
/// of the template; nothing may depend on them.
/// </summary>
public static class PodTemplateHash
{
    public const string Label = "pod-template-hash";

    private const string Alphabet = "bcdfghjklmnpqrstvwxz2456789";

    public static string Compute(JsonNode? template, long collisionCount = 0)
    {
        var text = new StringBuilder();
        WriteCanonical(template, text);
        if (collisionCount > 0) text.Append('#').Append(collisionCount);
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(text.ToString()))
        {
            hash ^= b;
            hash *= 16777619u;
        }
        var name = new StringBuilder();
        do
        {
            name.Append(Alphabet[(int)(hash % (uint)Alphabet.Length)]);
            hash /= (uint)Alphabet.Length;
        }
        while (hash > 0);
        return name.ToString();
    }

    /// <summary>Whether a ReplicaSet's template is the Deployment's, apart from the hash label it was given.</summary>
    public static bool SameTemplate(JsonNode? deploymentTemplate, JsonNode? replicaSetTemplate)
    {
        var withoutHash = replicaSetTemplate?.DeepClone();
        if (withoutHash?["metadata"]?["labels"] is JsonObject labels)
        {
            labels.Remove(Label);
            if (labels.Count == 0 && deploymentTemplate?["metadata"]?["labels"] is null) ((JsonObject)withoutHash["metadata"]!).Remove("labels");
        }
        var text = new StringBuilder();
        var other = new StringBuilder();
        WriteCanonical(deploymentTemplate, text);
        WriteCanonical(withoutHash, other);
        return text.ToString() == other.ToString();
    }

    /// <summary>The template with the hash label added (a copy).</summary>
    public static JsonObject Labelled(JsonNode? template, string hash)
    {
        var copy = template?.DeepClone() as JsonObject ?? new JsonObject();
        copy.Obj("metadata").Obj("labels")[Label] = hash;
        return copy;
    }

    private static void WriteCanonical(JsonNode? node, StringBuilder text)
    {
        switch (node)
        {
            case null:
                text.Append("null");
                break;
            case JsonObject o:
                text.Append('{');
                foreach (var (key, value) in o.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    text.Append(JsonSerializer.Serialize(key)).Append(':');
                    WriteCanonical(value, text);
                    text.Append(',');
                }
                text.Append('}');
                break;
            case JsonArray a:
                text.Append('[');
                foreach (var item in a)
                {
                    WriteCanonical(item, text);
                    text.Append(',');
                }
                text.Append(']');
                break;
            default:
                text.Append(JsonUtil.ToJson(node));
                break;
        }
    }
}
