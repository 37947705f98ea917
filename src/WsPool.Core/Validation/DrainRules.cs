using WsPool.Core.Api;

namespace WsPool.Core.Validation;

/// <summary>The drain as a whole must fit what the pod's grace period and the balancer's hard-stop-after cover.</summary>
internal static class DrainRules
{
    public static void Check(WebSocketPool pool, List<ValidationError> errors)
    {
        var spec = pool.Spec;
        if (spec is null) return;
        var drain = spec.Drain;
        if (drain is not null
            && DurationParser.TryParse(drain.Timeout, out var timeout)
            && DurationParser.TryParse(drain.PreStopDelay, out var preStop)
            && timeout + preStop > DurationBounds.MaxTotalDrain)
            errors.Add(new("spec.drain",
                $"preStopDelay + timeout must be at most {DurationBounds.Format(DurationBounds.MaxTotalDrain)}: the pod's termination grace period and the balancer's hard-stop-after both have to cover the whole drain"));
    }
}
