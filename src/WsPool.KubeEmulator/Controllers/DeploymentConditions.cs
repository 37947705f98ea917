using System.Text.Json.Nodes;
using WsPool.KubeEmulator.Json;

namespace WsPool.KubeEmulator.Controllers;

/// <summary>
/// A Deployment's conditions as the controller keeps them: setting a condition to the status and reason it already
/// has changes nothing (its times stay), unless the change is progress, which moves lastUpdateTime (the progress
/// deadline counts from it); lastTransitionTime moves only when the status does.
/// </summary>
internal sealed class DeploymentConditions(JsonArray? existing, DateTimeOffset now)
{
    private readonly List<JsonObject> _conditions = existing?.OfType<JsonObject>().Select(c => (JsonObject)c.DeepClone()).ToList() ?? [];

    public JsonObject? Get(string type) => _conditions.FirstOrDefault(c => c.Str("type") == type);

    public void Set(string type, string status, string reason, string message, bool refresh = false)
    {
        var current = Get(type);
        var time = KubeTime.Format(now);
        if (current is not null && current.Str("status") == status && current.Str("reason") == reason)
        {
            if (!refresh) return;
            current["lastUpdateTime"] = time;
            current["message"] = message;
            return;
        }
        var condition = new JsonObject
        {
            ["type"] = type,
            ["status"] = status,
            ["lastUpdateTime"] = time,
            ["lastTransitionTime"] = current is not null && current.Str("status") == status ? current["lastTransitionTime"]?.DeepClone() : time,
            ["reason"] = reason,
            ["message"] = message,
        };
        var index = current is null ? -1 : _conditions.IndexOf(current);
        if (index < 0) _conditions.Add(condition); else _conditions[index] = condition;
    }

    public JsonArray ToJson() => new(_conditions.Select(c => (JsonNode)c.DeepClone()).ToArray());
}
