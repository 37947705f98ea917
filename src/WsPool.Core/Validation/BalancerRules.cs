using WsPool.Core.Api;

namespace WsPool.Core.Validation;

/// <summary>Balancer sections that belong to one balancer type, and what only a managed balancer can do.</summary>
internal static class BalancerRules
{
    public static void Check(WebSocketPool pool, List<ValidationError> errors)
    {
        var balancer = pool.Spec?.Balancer;
        if (balancer is null) return;
        const string path = "spec.balancer";
        var managed = balancer.Type is BalancerType.HAProxy or BalancerType.Nginx;

        if (balancer.Layer == BalancerLayer.L4 && !managed)
            errors.Add(new(path + ".layer", $"L4 needs a managed balancer (HAProxy or Nginx); {balancer.Type} routes HTTP only"));
        if (balancer.Image is not null && !managed)
            errors.Add(new(path + ".image", $"only applies to a managed balancer (HAProxy or Nginx), not {balancer.Type}"));
        if (balancer.NginxVersion is not null && balancer.Type != BalancerType.Nginx)
            errors.Add(new(path + ".nginxVersion", $"only applies when type is Nginx (type is {balancer.Type})"));
        if (balancer.Port is not null && !managed)
            errors.Add(new(path + ".port", $"only applies to a managed balancer (HAProxy or Nginx), not {balancer.Type}"));

        if (balancer.Tls is { } tls)
        {
            if (balancer.Type == BalancerType.Gateway)
                errors.Add(new(path + ".tls", "does not apply to Gateway: TLS terminates at the Gateway's listener (see parentRefs[*].sectionName)"));
            else if (tls.RedirectHttp && balancer.Layer == BalancerLayer.L4)
                errors.Add(new(path + ".tls.redirectHttp", "needs layer L7: an L4 balancer cannot answer HTTP with a redirect"));
        }


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
