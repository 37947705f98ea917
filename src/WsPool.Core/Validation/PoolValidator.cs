using WsPool.Core.Api;

namespace WsPool.Core.Validation;

/// <summary>Checks a pool against every rule (schema rules and what a schema cannot say); returns all errors at once.</summary>
public static class PoolValidator
{
    // Placeholder until the validation work lands: only the balancer capability rules run.
    public static IReadOnlyList<ValidationError> Validate(WebSocketPool pool) =>
        BalancerCapabilityRules.Check(pool).ToList();
}
