namespace WsPool.Install.Tests.Differential;

/// <summary>
/// One judge's answer for one pool: accepted, or rejected on a set of field paths. <see cref="Complete"/> is false
/// when the judge says it stopped early: the API server skips every CEL rule once the schema has refused a field
/// ("some validation rules were not checked"), so its fields are then a subset of all that is wrong.
/// </summary>
public sealed record Verdict(bool Accepted, IReadOnlySet<string> Fields, bool Complete, string Detail)
{
    /// <summary>
    /// The fields as a user reads them, which is what wspool is compared on. The server names a few fields twice in
    /// its own notation: a fraction in an integer field adds a cause at <c>&lt;nil&gt;</c> whose message ends "in
    /// spec.x", a value of neither type in an int-or-string field one saying "spec.x" must validate anyOf, and the
    /// scale subresource reports spec.replicas as <c>.spec.replicas</c>. <see cref="Fields"/> keeps
    /// the raw causes, which the emulator must reproduce exactly.
    /// </summary>
    public IReadOnlySet<string> Named { get; init; } = Fields;

    public static Verdict Accept(string detail = "") => new(true, new HashSet<string>(), true, detail);

    public override string ToString() =>
        Accepted ? "accepted" : $"rejected at [{string.Join(", ", Fields.Order(StringComparer.Ordinal))}]{(Complete ? "" : " (stopped early)")}";
}
