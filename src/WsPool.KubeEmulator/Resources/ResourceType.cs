namespace WsPool.KubeEmulator.Resources;

/// <summary>Where the scale subresource finds replicas and the selector (the CRD <c>subresources.scale</c> fields).</summary>
/// <param name="SpecReplicasPath">e.g. <c>.spec.replicas</c></param>
/// <param name="StatusReplicasPath">e.g. <c>.status.replicas</c></param>
/// <param name="LabelSelectorPath">A string selector in the object (CRDs), or null.</param>
/// <param name="SelectorObjectPath">A LabelSelector object turned into a string (Deployments use <c>.spec.selector</c>).</param>
public sealed record ScaleSpec(
    string SpecReplicasPath,
    string StatusReplicasPath,
    string? LabelSelectorPath = null,
    string? SelectorObjectPath = null);

/// <summary>One served resource: a group/version/plural with its kind, scope, verbs and subresources.</summary>
public sealed record ResourceType
{
    public required string Group { get; init; }
    public required string Version { get; init; }
    public required string Plural { get; init; }
    public required string Singular { get; init; }
    public required string Kind { get; init; }
    public required bool Namespaced { get; init; }
    public IReadOnlyList<string> ShortNames { get; init; } = [];
    public IReadOnlyList<string> Categories { get; init; } = [];
    public IReadOnlyList<string> Verbs { get; init; } = StandardVerbs;
    public bool HasStatus { get; init; }
    public ScaleSpec? Scale { get; init; }

    /// <summary>Custom resources have no strategic-merge schema: the API server answers 415 to such patches.</summary>
    public bool IsCustom { get; init; }

    /// <summary>
    /// The schema a custom resource version is validated, pruned and defaulted with (null for built-ins, which are
    /// stored as sent). A CRD update makes a new instance, so objects written under the old one are defaulted on read.
    /// </summary>
    public Schemas.CustomResourceSchema? Schema { get; init; }

    /// <summary>
    /// The CRD version's printer columns (after Name) for Table answers; null for built-ins, which are served as
    /// plain JSON only (kubectl then prints them itself).
    /// </summary>
    public IReadOnlyList<Tables.PrinterColumn>? PrinterColumns { get; init; }

    /// <summary>How lists at each field path merge (associative by keys, set, or atomic).</summary>
    public ListTypes ListTypes { get; init; } = ListTypes.BuiltIn;

    public string ListKind => Kind + "List";
    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";
    public string GroupVersion => ApiVersion;

    /// <summary>Storage is per group and resource (versions of one resource share objects, as in the API server).</summary>
    public GroupResource GroupResource => new(Group, Plural);

    public static readonly IReadOnlyList<string> StandardVerbs =
        ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];

    public override string ToString() => Group.Length == 0 ? $"{Version}/{Plural}" : $"{Group}/{Version}/{Plural}";
}

/// <summary>The storage identity of a resource.</summary>
public readonly record struct GroupResource(string Group, string Resource)
{
    public override string ToString() => Group.Length == 0 ? Resource : $"{Resource}.{Group}";
}
