using WsPool.Core.Api;
using WsPool.Core.Rendering;

namespace WsPool.Core.Validation;

/// <summary>
/// What wspool needs from the backend pod template: containers with names and images, port names it can resolve,
/// labels that leave the operator's selector alone, and no env var that the broker wiring would overwrite.
/// </summary>
internal static class TemplateRules
{
    public static void Check(WebSocketPool pool, List<ValidationError> errors)
    {
        var template = pool.Spec?.Template;
        if (template is null) return; // SchemaRules reports spec.template: required

        CheckLabels(template.Metadata?.Labels, errors);

        var podSpec = template.Spec;
        if (podSpec is null)
        {
            // A template not written at all reads as an empty one; the API server then names spec.template.
            if (template.Metadata is null) errors.Add(new("spec.template", "required"));
            else errors.Add(new("spec.template.spec", "required: the pod spec with at least one container"));
            return;
        }
        if (podSpec.RestartPolicy is { } restart && restart != "Always")
            errors.Add(new("spec.template.spec.restartPolicy", "must be Always (the pods run in a Deployment)"));

        var containers = podSpec.Containers;
        if (containers is null || containers.Count == 0)
        {
            errors.Add(new("spec.template.spec.containers", "must have at least 1 container"));
            return;
        }
        if (containers.Count > PodTemplateLimits.MaxContainers)
            errors.Add(new("spec.template.spec.containers", $"must have at most {PodTemplateLimits.MaxContainers} items"));

        var brokerVar = pool.Spec?.Broker is { Type: not BrokerType.None } broker ? broker.EnvVar : null;
        var containerNames = new HashSet<string>(StringComparer.Ordinal);
        var portNames = new HashSet<string>(StringComparer.Ordinal);
        for (var c = 0; c < containers.Count; c++)
        {
            var path = FieldPath.Item("spec.template.spec.containers", c);
            var container = containers[c];
            if (container is null)
            {
                errors.Add(new(path, "must be a container, not null"));
                continue;
            }

            if (string.IsNullOrEmpty(container.Name))
                errors.Add(new(path + ".name", "required"));
            else if (container.Name.Length > 63 || !AllowList.Matches(Grammars.Dns1123LabelPattern, container.Name))
                errors.Add(new(path + ".name", GrammarMessages.For(Grammars.Dns1123LabelPattern) + ", at most 63 characters"));
            else if (!containerNames.Add(container.Name))
                errors.Add(new(path + ".name", "must be unique among the containers"));

            if (string.IsNullOrEmpty(container.Image))
                errors.Add(new(path + ".image", "required"));
            else if (container.Image.Length > 512 || !AllowList.Matches(Grammars.ImagePattern, container.Image))
                errors.Add(new(path + ".image", GrammarMessages.For(Grammars.ImagePattern)));

            var ports = container.Ports ?? [];
            if (ports.Count > PodTemplateLimits.MaxPortsPerContainer)
                errors.Add(new(path + ".ports", $"must have at most {PodTemplateLimits.MaxPortsPerContainer} items"));
            for (var p = 0; p < ports.Count; p++)
            {
                var portPath = FieldPath.Item(path + ".ports", p);
                var port = ports[p];
                if (port is null) continue;
                if (port.ContainerPort is < 1 or > 65535)
                    errors.Add(new(portPath + ".containerPort", "must be between 1 and 65535"));
                if (port.Name is null) continue;
                if (!KubernetesNames.IsPortName(port.Name))
                    errors.Add(new(portPath + ".name", GrammarMessages.PortName));
                else if (!portNames.Add(port.Name))
                    errors.Add(new(portPath + ".name", "must be unique among the pod's ports"));
            }

            var env = container.Env ?? [];
            for (var e = 0; e < env.Count; e++)
            {
                var name = env[e]?.Name;
                var envPath = FieldPath.Item(path + ".env", e) + ".name";
                if (string.IsNullOrEmpty(name))
                    errors.Add(new(envPath, "required"));
                else if (!AllowList.Matches(Grammars.EnvVarNamePattern, name))
                    errors.Add(new(envPath, GrammarMessages.For(Grammars.EnvVarNamePattern)));
                else if (name == brokerVar)
                    errors.Add(new(envPath, "is set by the broker (spec.broker.envVar); remove it here or name the broker variable differently"));
            }
        }
    }

    private static void CheckLabels(IDictionary<string, string>? labels, List<ValidationError> errors)
    {
        if (labels is null) return;
        var owned = PoolLabels.For("", "").Keys.ToHashSet(StringComparer.Ordinal);
        foreach (var (key, value) in labels.OrderBy(l => l.Key, StringComparer.Ordinal))
        {
            var path = FieldPath.Key("spec.template.metadata.labels", key);
            if (owned.Contains(key))
                errors.Add(new(path, "is set by the operator (it selects the pool's pods); remove it"));
            else if (!KubernetesNames.IsLabelKey(key))
                errors.Add(new(path, "the key must be a label key: an optional DNS subdomain prefix and '/', then at most 63 letters, digits, '-', '_' and '.'"));
            else if (!KubernetesNames.IsLabelValue(value))
                errors.Add(new(path, GrammarMessages.For(Grammars.LabelValuePattern) + ", at most 63 characters"));
        }
    }
}
