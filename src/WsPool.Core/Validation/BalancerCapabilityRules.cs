using WsPool.Core.Api;

namespace WsPool.Core.Validation;

/// <summary>What each balancer kind can express (ALB has no header affinity, NGINX sticky cookies need 1.29.6, ...).</summary>
public static class BalancerCapabilityRules
{
    public static IEnumerable<ValidationError> Check(WebSocketPool pool)
    {
        yield break;
    }
}
