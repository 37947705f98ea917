using WsPool.Core.Api;

namespace WsPool.Core.Validation;

/// <summary>Affinity settings that only make sense for their type, and cookie attributes browsers insist on.</summary>
internal static class AffinityRules
{
    public static void Check(WebSocketPool pool, List<ValidationError> errors)
    {
        var affinity = pool.Spec?.Affinity;
        if (affinity is null) return;
        const string path = "spec.affinity";

        if (affinity.HashBalanceFactor is not null && affinity.Type is not (AffinityType.ClientIP or AffinityType.Header or AffinityType.QueryParam))
            errors.Add(new(path + ".hashBalanceFactor", $"only applies to the hash types ClientIP, Header and QueryParam (type is {affinity.Type})"));

        if (affinity is { Type: AffinityType.Cookie, Cookie: { SameSite: SameSiteMode.None, Secure: false } })
            errors.Add(new(path + ".cookie.sameSite", "None requires secure: true (browsers drop SameSite=None cookies that are not Secure)"));

        if (pool.Spec?.Balancer?.Layer == BalancerLayer.L4 && affinity.Type is AffinityType.Cookie or AffinityType.Header or AffinityType.QueryParam)
            errors.Add(new(path + ".type", $"{affinity.Type} affinity reads HTTP and needs spec.balancer.layer L7; an L4 balancer can only use None or ClientIP"));
    }
}
