using k8s.Models;
using WsPool.Core.Api;

namespace WsPool.Core.Crd;

/// <summary>
/// Tightens the reflected PodTemplateSpec to what a backend pod needs (<see cref="PodTemplateLimits"/>): a pod spec
/// with 1 to 32 containers, each with a name and an image in wspool's grammars, container ports in range with IANA
/// names, and restartPolicy Always (the pods run in a Deployment).
/// </summary>
internal static class PodTemplateConstraints
{
    public static void Apply(V1JSONSchemaProps template)
    {
        template.Required = ["spec"];
        var pod = template.Properties["spec"];
        pod.Required = ["containers"];
        pod.Properties["restartPolicy"].EnumProperty = ["Always"];

        var containers = pod.Properties["containers"];
        containers.MinItems = 1;
        containers.MaxItems = PodTemplateLimits.MaxContainers;
        var container = (V1JSONSchemaProps)containers.Items;
        container.Required = ["name", "image"];
        container.Properties["name"].Pattern = Grammars.Dns1123LabelPattern;
        container.Properties["name"].MaxLength = 63;
        container.Properties["image"].Pattern = Grammars.ImagePattern;
        container.Properties["image"].MaxLength = 512;

        var ports = container.Properties["ports"];
        ports.MaxItems = PodTemplateLimits.MaxPortsPerContainer;
        var port = (V1JSONSchemaProps)ports.Items;
        port.Properties["containerPort"].Minimum = 1;
        port.Properties["containerPort"].Maximum = 65535;
        port.Properties["name"].Pattern = PodTemplateLimits.PortNamePattern;
        port.Properties["name"].MaxLength = PodTemplateLimits.MaxPortNameLength;
        (port.XKubernetesValidations ??= []).Add(new V1ValidationRule
        {
            Rule = PodTemplateLimits.PortNameRule,
            Message = PodTemplateLimits.PortNameMessage,
            FieldPath = ".name",
            Reason = nameof(CelRuleReason.FieldValueInvalid),
        });
    }
}
