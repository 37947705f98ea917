namespace WsPool.KubeEmulator.Faults;

/// <summary>
/// Inject <see cref="Kind"/> with probability <see cref="Rate"/> into requests that match: verbs (get, list, watch,
/// create, update, patch, delete, deletecollection; empty = all that fit the kind) and resources (plural names, e.g.
/// "deployments"; empty = all).
/// </summary>
public sealed record FaultRule(FaultKind Kind, double Rate)
{
    public IReadOnlySet<string> Verbs { get; init; } = new HashSet<string>();
    public IReadOnlySet<string> Resources { get; init; } = new HashSet<string>();

    public bool AppliesTo(string verb, string resource) =>
        (Verbs.Count == 0 || Verbs.Contains(verb)) && (Resources.Count == 0 || Resources.Contains(resource)) && Fits(verb);

    /// <summary>Watch faults only hit watches, conflicts only writes; error replies hit anything.</summary>
    private bool Fits(string verb) => Kind switch
    {
        FaultKind.DropWatch or FaultKind.WatchGone => verb == "watch",
        FaultKind.WriteConflict => verb is "create" or "update" or "patch" or "delete",
        _ => true,
    };
}
