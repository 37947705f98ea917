using System.Text.Json;
using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace WsPool.Operator.Kubernetes;

/// <summary>
/// An object of a kind KubernetesClient has no model for (Gateway API HTTPRoute): typed metadata, every other
/// field kept as JSON so nothing is lost between reading and comparing.
/// </summary>
public sealed class UnstructuredObject : IKubernetesObject<V1ObjectMeta>
{
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = "";

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = "";

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Fields { get; set; }
}
