using WsPool.Core.Api;

namespace WsPool.Core.Validation;

/// <summary>
/// The Gateway's hostnames and parentRefs items. Which settings belong to which balancer type is said by [CelRule]s on
/// BalancerSpec (in the CRD).
/// </summary>
internal static class BalancerRules
{
    public static void Check(WebSocketPool pool, List<ValidationError> errors)
    {
        var balancer = pool.Spec?.Balancer;
        if (balancer is null) return;
        const string path = "spec.balancer";
        if (balancer.Gateway?.Hostnames is { } hostnames)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < hostnames.Count; i++)
            {
                var host = hostnames[i];
                var hostPath = FieldPath.Item(path + ".gateway.hostnames", i);
                if (string.IsNullOrEmpty(host) || host.Length > 253 || !AllowList.Matches(Grammars.HostnamePattern, host))
                    errors.Add(new(hostPath, GrammarMessages.For(Grammars.HostnamePattern) + ", at most 253 characters"));
                else if (!seen.Add(host))
                    errors.Add(new(hostPath, "is listed twice"));
            }
        }
        if (balancer.Gateway?.ParentRefs is { } parents)
            for (var i = 0; i < parents.Count; i++)
                if (parents[i] is null)
                    errors.Add(new(FieldPath.Item(path + ".gateway.parentRefs", i), "must be a reference, not null"));
    }
}
