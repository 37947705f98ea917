namespace WsPool.Install.Tests.Differential;

/// <summary>
/// One judge's answer for one pool: accepted, or rejected on a set of field paths. <see cref="Complete"/> is false
/// when the judge says it stopped early: the API server skips every CEL rule once the schema has refused a field
/// ("some validation rules were not checked"), so its fields are then a subset of all that is wrong.
/// </summary>
public sealed record Verdict(bool Accepted, IReadOnlySet<string> Fields, bool Complete, string Detail)
{
    public static Verdict Accept(string detail = "") => new(true, new HashSet<string>(), true, detail);

    public override string ToString() =>
        Accepted ? "accepted" : $"rejected at [{string.Join(", ", Fields.Order(StringComparer.Ordinal))}]{(Complete ? "" : " (stopped early)")}";
}
