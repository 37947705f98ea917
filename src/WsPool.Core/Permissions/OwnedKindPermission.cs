namespace WsPool.Core.Permissions;

/// <summary>
/// A kind the renderer produces and the operator owns: its identity (what the renderer stamps on objects and what the
/// operator's client calls address) and the verbs that owning it takes.
/// </summary>
/// <param name="ApiVersion">As the renderer stamps it on objects ("apps/v1", "v1").</param>
/// <param name="Kind">As the renderer stamps it on objects.</param>
/// <param name="Resource">The plural resource the API paths and RBAC rules name.</param>
/// <param name="ReadBackReason">Why the operator also gets single objects of this kind; null when it never does.</param>
public sealed record OwnedKindPermission(string ApiVersion, string Kind, string Resource, string? ReadBackReason = null)
{
    /// <summary>What owning a kind takes; <see cref="OwningReason"/> says why, in the generated files too.</summary>
    public static readonly IReadOnlyList<string> OwningVerbs = ["list", "watch", "create", "patch", "delete"];

    public const string OwningReason =
        "Owned objects: cached by label (list + watch), written with server-side apply (patch; an apply that creates " +
        "the object is also authorized as create), pruned with delete.";

    /// <summary>The API group: the part of apiVersion before the slash, "" for the core group ("v1").</summary>
    public string Group => ApiVersion.Contains('/') ? ApiVersion[..ApiVersion.IndexOf('/')] : "";

    /// <summary>The version: the part of apiVersion after the slash.</summary>
    public string Version => ApiVersion[(ApiVersion.IndexOf('/') + 1)..];

    public IReadOnlyList<string> Verbs => ReadBackReason is null ? OwningVerbs : ["get", .. OwningVerbs];

    public Permission ToPermission() =>
        new(RuleGroup.Namespaced, Group, Resource, Verbs, ReadBackReason ?? OwningReason);
}
