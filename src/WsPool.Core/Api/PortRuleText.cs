namespace WsPool.Core.Api;

/// <summary>
/// The CEL rules of the three ports a pool names (spec.port, spec.scaling.metrics.port,
/// spec.scaling.rebalance.adminPort): a number 1-65535 (a numeric string counts as the number) or the IANA name of a
/// port of the template's containers. On spec, because a name is resolved through spec.template.
/// </summary>
public static class PortRuleText
{
    public const string Message = "must be a port number (1-65535) or the name of a port of the template's containers";

    public const string Port =
        "!has(self.port) || (type(self.port) == int ? (self.port >= 1 && self.port <= 65535) : self.port.matches('^[-+]?[0-9]+$') ? (int(self.port) >= 1 && int(self.port) <= 65535) : (self.port.size() <= 15 && self.port.matches('^[a-z0-9]([a-z0-9-]*[a-z0-9])?$') && self.port.matches('[a-z]') && !self.port.contains('--') && has(self.template) && has(self.template.spec) && has(self.template.spec.containers) && self.template.spec.containers.exists(c, has(c.ports) && c.ports.exists(p, has(p.name) && p.name == self.port))))";

    public const string MetricsPort =
        "!has(self.scaling) || !has(self.scaling.metrics) || !has(self.scaling.metrics.port) || (type(self.scaling.metrics.port) == int ? (self.scaling.metrics.port >= 1 && self.scaling.metrics.port <= 65535) : self.scaling.metrics.port.matches('^[-+]?[0-9]+$') ? (int(self.scaling.metrics.port) >= 1 && int(self.scaling.metrics.port) <= 65535) : (self.scaling.metrics.port.size() <= 15 && self.scaling.metrics.port.matches('^[a-z0-9]([a-z0-9-]*[a-z0-9])?$') && self.scaling.metrics.port.matches('[a-z]') && !self.scaling.metrics.port.contains('--') && has(self.template) && has(self.template.spec) && has(self.template.spec.containers) && self.template.spec.containers.exists(c, has(c.ports) && c.ports.exists(p, has(p.name) && p.name == self.scaling.metrics.port))))";

    public const string AdminPort =
        "!has(self.scaling) || !has(self.scaling.rebalance) || !has(self.scaling.rebalance.adminPort) || (type(self.scaling.rebalance.adminPort) == int ? (self.scaling.rebalance.adminPort >= 1 && self.scaling.rebalance.adminPort <= 65535) : self.scaling.rebalance.adminPort.matches('^[-+]?[0-9]+$') ? (int(self.scaling.rebalance.adminPort) >= 1 && int(self.scaling.rebalance.adminPort) <= 65535) : (self.scaling.rebalance.adminPort.size() <= 15 && self.scaling.rebalance.adminPort.matches('^[a-z0-9]([a-z0-9-]*[a-z0-9])?$') && self.scaling.rebalance.adminPort.matches('[a-z]') && !self.scaling.rebalance.adminPort.contains('--') && has(self.template) && has(self.template.spec) && has(self.template.spec.containers) && self.template.spec.containers.exists(c, has(c.ports) && c.ports.exists(p, has(p.name) && p.name == self.scaling.rebalance.adminPort))))";
}
