using System.Globalization;
using k8s.Models;
using WsPool.Core.Api;

namespace WsPool.Core.Validation;

/// <summary>
/// spec.port, spec.scaling.metrics.port and spec.scaling.rebalance.adminPort: a number 1-65535 or the name of a
/// container port in the template, because the balancer config and the Services need a port they can resolve (a CEL
/// rule on spec per port, <see cref="PortRuleText"/>); and an admin port apart from the WebSocket port.
/// </summary>
internal static class PortRules
{
    public static void Check(WebSocketPool pool, List<ValidationError> errors)
    {
        var spec = pool.Spec;
        if (spec is null) return;
        var rebalance = spec.Scaling?.Rebalance;

        // Shedding through the WebSocket port would reach the pod's clients' port, not an admin listener; the
        // balancer must never forward to the admin port. Only checked when rebalancing is on: the default 9091 may
        // well be the WebSocket port of a pool that never sheds.
        if (rebalance is { Enabled: true, AdminPort: { } admin }
            && Resolve(admin, spec.Template) is { } adminNumber && adminNumber == Resolve(spec.Port, spec.Template))
            errors.Add(new("spec.scaling.rebalance.adminPort",
                $"is the WebSocket port ({adminNumber}, spec.port); the shed endpoint needs a port the balancer never forwards to"));
    }

    /// <summary>The port number a valid pool's <paramref name="port"/> means, resolving a name through the template.</summary>
    public static int? Resolve(IntOrString? port, V1PodTemplateSpec? template)
    {
        if (port?.Value is not { Length: > 0 } value) return null;
        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number)) return number;
        return template?.Spec?.Containers?
            .SelectMany(c => c?.Ports ?? [])
            .FirstOrDefault(p => p?.Name == value)?.ContainerPort;
    }

    /// <summary>
    /// What is wrong with a port the pool names, or null when it is a number 1-65535 or names a port of the template's
    /// containers. The CRD says the same as a CEL rule on spec (<see cref="PortRuleText"/>).
    /// </summary>
    public static string? Problem(IntOrString? port, V1PodTemplateSpec? template)
    {
        if (port is null) return null;
        var value = port.Value;
        if (string.IsNullOrEmpty(value)) return "must be a port number (1-65535) or a container port name";
        if (long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
            return number is < 1 or > 65535 ? "must be between 1 and 65535" : null;
        if (!KubernetesNames.IsPortName(value))
            return "must be a port number (1-65535) or a container port name; as a name it " + GrammarMessages.PortName;
        var declared = (template?.Spec?.Containers ?? []).SelectMany(c => c?.Ports ?? []).Any(p => p?.Name == value);
        return declared ? null : "names no port of the template's containers (spec.template.spec.containers[*].ports[*].name)";
    }
}
