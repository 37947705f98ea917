using System.Text.Json.Nodes;
using WsPool.KubeEmulator.Controllers;
using WsPool.KubeEmulator.Errors;
using WsPool.KubeEmulator.Json;
using WsPool.KubeEmulator.Resources;

namespace WsPool.KubeEmulator.Registry;

/// <summary>
/// The Deployment strategy rules the API server enforces, since the simulated Deployment controller depends on them:
/// maxSurge and maxUnavailable are numbers or percentages, maxUnavailable at most 100%, not both 0 (a rollout
/// could never move), and a Recreate Deployment has no rollingUpdate.
/// </summary>
internal static partial class Validation
{
    public static void Deployment(ResourceType type, JsonObject obj, string name)
    {
        if (type.GroupResource != BuiltInResources.Deployments.GroupResource) return;
        var strategy = obj["spec"]?["strategy"];
        var rollingUpdate = strategy?["rollingUpdate"];
        var errors = new List<(string Field, string Message)>();
        if (strategy.Str("type") == "Recreate")
        {
            if (rollingUpdate is not null)
                errors.Add(("spec.strategy.rollingUpdate", "Forbidden: may not be specified when strategy `type` is 'Recreate'"));
        }
        else if (rollingUpdate is JsonObject rolling)
        {
            var path = "spec.strategy.rollingUpdate";
            foreach (var field in new[] { "maxSurge", "maxUnavailable" })
                if (rolling[field] is { } value && !RollingUpdate.IsWellFormed(value))
                    errors.Add(($"{path}.{field}", $"Invalid value: \"{JsonUtil.ScalarText(value)}\": a valid percent string must be a numeric string followed by an ending '%'"));
            if (RollingUpdate.IsZero(rolling["maxSurge"]) && RollingUpdate.IsZero(rolling["maxUnavailable"]))
                errors.Add(($"{path}.maxUnavailable", "Invalid value: 0: may not be 0 when `maxSurge` is 0"));
            if (rolling["maxUnavailable"] is { } unavailable && RollingUpdate.IsWellFormed(unavailable)
                && JsonUtil.ScalarText(unavailable) is { } text && text.EndsWith('%') && RollingUpdate.Count(unavailable, 100, roundUp: false) > 100)
                errors.Add(($"{path}.maxUnavailable", $"Invalid value: \"{text}\": must not be greater than 100%"));
        }
        if (errors.Count > 0) throw ApiError.Invalid(type.Group, type.Kind, name, errors.ToArray());
    }
}
