using System.Globalization;
using k8s.Models;
using WsPool.Core.Api;

namespace WsPool.Core.Validation;

/// <summary>
/// spec.port, spec.scaling.metrics.port and spec.scaling.rebalance.adminPort: a number 1-65535 or the name of a container port in the template,
/// because the balancer config and the Services need a port they can resolve.
/// </summary>
internal static class PortRules
{
    public static void Check(WebSocketPool pool, List<ValidationError> errors)
    {
        var spec = pool.Spec;
        if (spec is null) return;
        var declared = DeclaredPortNames(spec.Template);
        CheckPort(spec.Port, "spec.port", declared, errors);
        CheckPort(spec.Scaling?.Metrics?.Port, "spec.scaling.metrics.port", declared, errors);
        var rebalance = spec.Scaling?.Rebalance;
        CheckPort(rebalance?.AdminPort, "spec.scaling.rebalance.adminPort", declared, errors);

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

    private static void CheckPort(IntOrString? port, string path, IReadOnlySet<string> declared, List<ValidationError> errors)
    {
        if (port is null) return;
        var value = port.Value;
        if (string.IsNullOrEmpty(value))
        {
            errors.Add(new(path, "must be a port number (1-65535) or a container port name"));
            return;
        }
        if (long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
        {
            if (number is < 1 or > 65535) errors.Add(new(path, "must be between 1 and 65535"));
            return;
        }
        if (!KubernetesNames.IsPortName(value))
            errors.Add(new(path, "must be a port number (1-65535) or a container port name; as a name it " + GrammarMessages.PortName));
        else if (!declared.Contains(value))
            errors.Add(new(path, "names no port of the template's containers (spec.template.spec.containers[*].ports[*].name)"));
    }

    private static IReadOnlySet<string> DeclaredPortNames(V1PodTemplateSpec? template) =>
        (template?.Spec?.Containers ?? [])
            .SelectMany(c => c?.Ports ?? [])
            .Select(p => p?.Name)
            .OfType<string>()
            .ToHashSet(StringComparer.Ordinal);
}
