using k8s;
using k8s.Models;

namespace WsPool.Core.Rendering;

/// <summary>Writes objects as deterministic multi-document YAML, ready for kubectl apply.</summary>
public static class ManifestWriter
{
    public static string ToYaml(IEnumerable<IKubernetesObject<V1ObjectMeta>> objects) =>
        string.Join("---\n", objects.Select(o => KubernetesYaml.Serialize(o)));
}
