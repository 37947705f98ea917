namespace WsPool.Core.Api;

/// <summary>
/// What wspool requires of spec.template beyond the Kubernetes PodTemplateSpec schema it is generated from: the CRD
/// generator (PodTemplateConstraints) writes these into the schema and the validator (TemplateRules) checks the
/// same, so kubectl refuses a pool without containers, or with a port name the balancer could not resolve, at once.
/// The list bounds also keep the port rules on spec (<see cref="PortRuleText"/>) within the API server's CEL budget.
/// </summary>
public static class PodTemplateLimits
{
    /// <summary>Containers in the backend pod.</summary>
    public const int MaxContainers = 32;

    /// <summary>Ports of one container.</summary>
    public const int MaxPortsPerContainer = 64;

    /// <summary>The IANA service name a port may carry.</summary>
    public const int MaxPortNameLength = 15;

    /// <summary>The grammar of a port name; it must also hold a letter and no "--" (a CEL rule on the port).</summary>
    public const string PortNamePattern = "^[a-z0-9]([a-z0-9-]*[a-z0-9])?$";

    /// <summary>The rest of the IANA service name grammar, which a pattern in RE2 cannot say.</summary>
    public const string PortNameRule = "!has(self.name) || (self.name.matches('[a-z]') && !self.name.contains('--'))";

    /// <summary>What the API server says when <see cref="PortNameRule"/> fails.</summary>
    public const string PortNameMessage = "a port name must hold a letter and no '--' (an IANA service name)";
}
