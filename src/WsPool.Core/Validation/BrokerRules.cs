using WsPool.Core.Api;

namespace WsPool.Core.Validation;

/// <summary>Broker sections that belong to one broker type.</summary>
internal static class BrokerRules
{
    public static void Check(WebSocketPool pool, List<ValidationError> errors)
    {
        var broker = pool.Spec?.Broker;
        if (broker is null) return;
        if (broker.External is not null && broker.Type != BrokerType.External)
            errors.Add(new("spec.broker.external", $"only applies when type is External (type is {broker.Type})"));
    }
}
