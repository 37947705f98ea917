using k8s;

namespace WsPool.Core.Rendering;

/// <summary>
/// Deep copies of Kubernetes models. The models are records, but their `with` copies are shallow: lists and
/// dictionaries would still be shared with the user's pool, and rendering must never change its input.
/// </summary>
internal static class ObjectCopy
{
    public static T Deep<T>(T value) where T : class =>
        KubernetesJson.Deserialize<T>(KubernetesJson.Serialize(value));
}
