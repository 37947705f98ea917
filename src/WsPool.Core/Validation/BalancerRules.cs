using WsPool.Core.Api;

namespace WsPool.Core.Validation;

/// <summary>
/// The Gateway's parentRefs items. Which settings belong to which balancer type is said by [CelRule]s on BalancerSpec
/// and the hostnames' grammar by [Items] (both in the CRD).
/// </summary>
internal static class BalancerRules
{
    public static void Check(WebSocketPool pool, List<ValidationError> errors)
    {
        var balancer = pool.Spec?.Balancer;
        if (balancer is null) return;
        const string path = "spec.balancer";
        if (balancer.Gateway?.ParentRefs is { } parents)
            for (var i = 0; i < parents.Count; i++)
                if (parents[i] is null)
                    errors.Add(new(FieldPath.Item(path + ".gateway.parentRefs", i), "must be a reference, not null"));
    }
}
