using k8s;
using k8s.Models;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace WsPool.Core.Rendering;

/// <summary>
/// Writes objects as deterministic multi-document YAML, ready for kubectl apply: documents separated by
/// <c>---</c>, every mapping's keys in ordinal order (apiVersion, kind and metadata first at the top, as people
/// read manifests), no null values and no status. Sorting every mapping makes the bytes independent of the order
/// in which a renderer or the user happened to fill a dictionary (labels, annotations, resources), so a GitOps
/// diff shows only real changes.
/// </summary>
public static class ManifestWriter
{
    private static readonly string[] LeadingTopLevelKeys = ["apiVersion", "kind", "metadata"];

    public static string ToYaml(IEnumerable<IKubernetesObject<V1ObjectMeta>> objects) =>
        string.Join("---\n", objects.Select(ToYaml));

    /// <summary>One object as one YAML document (ending in a newline).</summary>
    public static string ToYaml(IKubernetesObject<V1ObjectMeta> obj)
    {
        // KubernetesYaml knows the models' wire names and formats (IntOrString, quantities, base64 data, quoting
        // of strings that look like numbers); this writer only reorders and prunes what it produced.
        var stream = new YamlStream();
        stream.Load(new StringReader(KubernetesYaml.Serialize(obj)));

        using var writer = new StringWriter { NewLine = "\n" };
        // No line folding: a long annotation or command line stays on one line, as kubectl prints it.
        var emitter = new Emitter(writer, new EmitterSettings().WithBestWidth(int.MaxValue).WithNewLine("\n"));
        emitter.Emit(new StreamStart());
        foreach (var document in stream.Documents)
        {
            emitter.Emit(new DocumentStart(null, null, isImplicit: true));
            Write(emitter, document.RootNode, topLevel: true);
            emitter.Emit(new DocumentEnd(isImplicit: true));
        }
        emitter.Emit(new StreamEnd());
        return writer.ToString();
    }

    private static void Write(IEmitter emitter, YamlNode node, bool topLevel = false)
    {
        switch (node)
        {
            case YamlScalarNode scalar:
                emitter.Emit(new Scalar(null, scalar.Tag.IsEmpty ? null : scalar.Tag.Value, scalar.Value ?? "", scalar.Style, scalar.Tag.IsEmpty, false));
                break;
            case YamlSequenceNode sequence:
                emitter.Emit(new SequenceStart(null, null, true, sequence.Style));
                foreach (var child in sequence.Children)
                    Write(emitter, child);
                emitter.Emit(new SequenceEnd());
                break;
            case YamlMappingNode mapping:
                emitter.Emit(new MappingStart(null, null, true, mapping.Style));
                foreach (var (key, value) in Ordered(mapping, topLevel))
                {
                    Write(emitter, key);
                    Write(emitter, value);
                }
                emitter.Emit(new MappingEnd());
                break;
            default:
                throw new InvalidOperationException($"unexpected YAML node {node.NodeType}");
        }
    }

    private static IEnumerable<(YamlNode Key, YamlNode Value)> Ordered(YamlMappingNode mapping, bool topLevel) =>
        mapping.Children
            .Where(entry => !IsNull(entry.Value))
            .Where(entry => !(topLevel && KeyText(entry.Key) == "status"))
            .OrderBy(entry => topLevel ? LeadingRank(KeyText(entry.Key)) : 0)
            .ThenBy(entry => KeyText(entry.Key), StringComparer.Ordinal)
            .Select(entry => (entry.Key, entry.Value));

    private static int LeadingRank(string key)
    {
        var index = Array.IndexOf(LeadingTopLevelKeys, key);
        return index < 0 ? LeadingTopLevelKeys.Length : index;
    }

    private static string KeyText(YamlNode key) => key is YamlScalarNode scalar ? scalar.Value ?? "" : key.ToString();

    private static bool IsNull(YamlNode value) =>
        value is YamlScalarNode { Style: ScalarStyle.Plain or ScalarStyle.Any } scalar
        && scalar.Tag.IsEmpty
        && scalar.Value is null or "" or "~" or "null" or "Null" or "NULL";
}
