using System.Globalization;
using WsPool.Core.Api;

namespace WsPool.Core.Balancers;

/// <summary>The backend pods' WebSocket port as a number: spec.port itself, or the template's container port of that name.</summary>
public static class BackendPort
{
    /// <summary>The port number, or null when spec.port names no container port of the template.</summary>
    public static int? TryResolve(WebSocketPoolSpec spec)
    {
        var value = spec.Port?.Value;
        if (string.IsNullOrEmpty(value)) return null;
        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
            return number is >= 1 and <= 65535 ? number : null;
        var match = (spec.Template?.Spec?.Containers ?? [])
            .SelectMany(c => c.Ports ?? [])
            .FirstOrDefault(p => p.Name == value);
        return match?.ContainerPort;
    }

    public static int Resolve(WebSocketPoolSpec spec) =>
        TryResolve(spec) ?? throw new ArgumentException($"spec.port '{spec.Port?.Value}' names no container port of the template");
}
