using WsPool.Core.Api;

namespace WsPool.Core.Rendering;

/// <summary>The WebSocket port of the backend pods, as the Services and the balancers need it.</summary>
public static class BackendPort
{
    /// <summary>The name of the WebSocket port on the backend Services.</summary>
    public const string ServicePortName = "ws";

    /// <summary>Used when spec.port names no container port (the validator reports that; rendering must not throw).</summary>
    public const int Fallback = 8080;

    /// <summary>
    /// The container port number that serves WebSockets: spec.port itself when it is a number, otherwise the
    /// containerPort of the first container port with that name in the template.
    /// </summary>
    public static int Number(WebSocketPool pool)
    {
        var port = pool.Spec?.Port;
        if (port is null)
            return Fallback;
        if (int.TryParse(port.Value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number))
            return number;
        var containerPort = pool.Spec!.Template?.Spec?.Containers?
            .SelectMany(c => c.Ports ?? [])
            .FirstOrDefault(p => p.Name == port.Value);
        return containerPort?.ContainerPort ?? Fallback;
    }

    /// <summary>The Services' targetPort: spec.port as written (a number or a container port name).</summary>
    public static k8s.Models.IntOrString Target(WebSocketPool pool) =>
        pool.Spec?.Port?.Value is { Length: > 0 } value ? value : Fallback;
}
