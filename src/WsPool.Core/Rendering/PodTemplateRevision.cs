using System.Security.Cryptography;
using System.Text;
using k8s;
using k8s.Models;

namespace WsPool.Core.Rendering;

/// <summary>
/// Names of a backend pod template's revision. The operator compares <see cref="Annotation"/> on the live Deployment
/// with the rendered one to see a template change coming before it applies it (the live template carries server
/// defaults, so it cannot be compared field by field), and selects one revision's pods through
/// <see cref="PodTemplateHashLabel"/>, which the Deployment controller puts on every pod it creates.
/// </summary>
public static class PodTemplateRevision
{
    /// <summary>On the backend Deployment's metadata (not the pod template, so adding it restarts no pod).</summary>
    public const string Annotation = "wspool.dev/template-hash";

    /// <summary>The Deployment controller's label: the same value on a ReplicaSet and each of its pods.</summary>
    public const string PodTemplateHashLabel = "pod-template-hash";

    /// <summary>A short hash of the rendered pod template: changes exactly when the template does.</summary>
    public static string Of(V1PodTemplateSpec template)
    {
        var json = KubernetesJson.Serialize(template);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(json)))[..12];
    }
}
