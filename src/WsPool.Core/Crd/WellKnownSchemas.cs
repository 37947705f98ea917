using k8s.Models;

namespace WsPool.Core.Crd;

/// <summary>
/// Schemas of the Kubernetes types that are not plain objects on the wire, written the way the API server and
/// controller-gen spell them, so clients (kubectl explain, server-side apply, validators) treat them as usual.
/// </summary>
internal static class WellKnownSchemas
{
    /// <summary>
    /// The quantity grammar of k8s.io/apimachinery (resource.Quantity): a signed decimal with an optional binary
    /// (Ki..Ei), decimal (n, u, m, k, M..E) or exponent suffix.
    /// </summary>
    public const string QuantityPattern =
        "^(\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))))?$";

    /// <summary>metav1.Condition.type: an optional DNS-subdomain prefix and a CamelCase or qualified name.</summary>
    public const string ConditionTypePattern =
        "^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$";

    /// <summary>metav1.Condition.reason: a CamelCase identifier.</summary>
    public const string ConditionReasonPattern = "^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$";

    /// <summary>
    /// The fields of an object's metadata that mean something inside a template; the API server keeps only these in
    /// embedded ObjectMeta (the same set controller-gen emits with generateEmbeddedObjectMeta).
    /// </summary>
    public static readonly IReadOnlySet<string> EmbeddedMetadataFields =
        new HashSet<string>(StringComparer.Ordinal) { "annotations", "finalizers", "labels", "name", "namespace" };

    /// <summary>A number or a string (intstr.IntOrString): structural schemas spell it with this extension.</summary>
    public static V1JSONSchemaProps IntOrString() => new()
    {
        AnyOf = [new() { Type = "integer" }, new() { Type = "string" }],
        XKubernetesIntOrString = true,
    };

    /// <summary>resource.Quantity: a number or a string in the quantity grammar.</summary>
    public static V1JSONSchemaProps Quantity()
    {
        var schema = IntOrString();
        schema.Pattern = QuantityPattern;
        return schema;
    }

    /// <summary>metav1.Time: RFC 3339 in a string.</summary>
    public static V1JSONSchemaProps DateTime() => new() { Type = "string", Format = "date-time" };

    /// <summary>Free-form JSON (a C# <c>object</c>, or a type too recursive to spell out).</summary>
    public static V1JSONSchemaProps FreeForm() => new() { Type = "object", XKubernetesPreserveUnknownFields = true };

    /// <summary>
    /// Tightens the reflected metav1.Condition to the validation the upstream type declares, so status written by
    /// the operator is checked like any built-in condition.
    /// </summary>
    public static void ConstrainCondition(V1JSONSchemaProps condition)
    {
        var p = condition.Properties;
        p["type"].Pattern = ConditionTypePattern;
        p["type"].MaxLength = 316;
        p["type"].Description = "The condition's type in CamelCase, such as Ready, Progressing or Degraded.";
        p["status"].EnumProperty = ["True", "False", "Unknown"];
        p["status"].Description = "Whether the condition holds: True, False or Unknown.";
        p["observedGeneration"].Minimum = 0;
        p["observedGeneration"].Description = "The metadata.generation the condition was set from.";
        p["lastTransitionTime"].Description = "When the condition last changed from one status to another.";
        p["reason"].Pattern = ConditionReasonPattern;
        p["reason"].MinLength = 1;
        p["reason"].MaxLength = 1024;
        p["reason"].Description = "A CamelCase word for the cause of the last transition.";
        p["message"].MaxLength = 32768;
        p["message"].Description = "A human-readable account of the last transition.";
        condition.Required = ["lastTransitionTime", "message", "reason", "status", "type"];
        condition.Description ??= "A condition of the resource, in the metav1.Condition shape.";
    }

    /// <summary>Conditions are a map keyed by type: one entry per type, merged by key under server-side apply.</summary>
    public static void MakeConditionList(V1JSONSchemaProps list)
    {
        list.XKubernetesListType = "map";
        list.XKubernetesListMapKeys = ["type"];
    }
}
