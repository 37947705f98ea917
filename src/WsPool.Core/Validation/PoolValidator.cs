using WsPool.Core.Api;
using WsPool.Core.Balancers;

namespace WsPool.Core.Validation;

/// <summary>
/// Checks a pool against every rule and returns all errors at once, in field order: first the rules the CRD states
/// (read from the same attributes the CRD is generated from, [CelRule]s included, so kubectl refuses the same pools
/// at the same fields), then the rules not yet in the CRD (the pool name's length, the template's labels and env,
/// the admin port, ...), and last what the chosen balancer can express. Never throws: the operator calls it on
/// whatever the API server hands over.
/// </summary>
public static class PoolValidator
{
    private static readonly (string Name, Action<WebSocketPool, List<ValidationError>> Check)[] Rules =
    [
        ("metadata", MetadataRules.Check),
        ("schema", SchemaRules.Check),
        ("template", TemplateRules.Check),
        ("port", PortRules.Check),
        ("balancer", BalancerRules.Check),
    ];

    public static IReadOnlyList<ValidationError> Validate(WebSocketPool pool)
    {
        if (pool is null) return [new ValidationError("", "no pool")];

        var errors = new List<ValidationError>();
        foreach (var (name, check) in Rules) Guard(name, () => check(pool, errors), errors);
        var ordered = errors.Distinct().OrderBy(e => e.Path, FieldOrder.Instance).ToList();

        Guard("balancer capability", () => ordered.AddRange(BalancerCapabilities(pool)), ordered);
        return ordered;
    }

    /// <summary>
    /// What the chosen balancer kind cannot express (ALB has no header affinity, NGINX sticky cookies need 1.29.6, ...):
    /// rejected with a message naming what it can do, rather than rendered into a config that ignores part of it.
    /// Runs after the other rules, which own grammar, bounds and the type-specific sections.
    /// </summary>
    private static IEnumerable<ValidationError> BalancerCapabilities(WebSocketPool pool) =>
        pool.Spec is { Balancer: { } balancer, Affinity: not null, Timeouts: not null } spec ? BalancerKinds.For(balancer).Check(spec) : [];

    /// <summary>
    /// A rule that throws is a bug in the rule, but the caller must still get an answer it can print: the pool is
    /// reported invalid (never silently valid) with the rule that failed.
    /// </summary>
    private static void Guard(string rule, Action check, List<ValidationError> errors)
    {
        try
        {
            check();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            errors.Add(new ValidationError("", $"the {rule} rules could not check this pool ({e.GetType().Name}: {e.Message})"));
        }
    }
}
