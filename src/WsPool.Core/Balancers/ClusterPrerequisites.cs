using WsPool.Core.Permissions;

namespace WsPool.Core.Balancers;

/// <summary>
/// Something a balancer kind needs the cluster to provide before its objects can work: an API served by a CRD the
/// user installs, or an IngressClass an ingress controller creates. The operator checks these before applying and,
/// when one is missing, reports <see cref="Reason"/> and <see cref="MissingMessage"/> instead of an opaque error.
/// </summary>
public abstract record ClusterPrerequisite(string Reason)
{
    /// <summary>What is missing and what to install, for a condition message and an event.</summary>
    public abstract string MissingMessage { get; }
}

/// <summary>
/// A resource the API server must serve (found through discovery: <c>/apis/{group}/{version}</c>), normally from a
/// CRD. Objects of this kind cannot be applied while it is missing.
/// </summary>
public sealed record ApiResourcePrerequisite(
    string Group, string Version, string Plural, string Kind, string Reason, string Product, string Install)
    : ClusterPrerequisite(Reason)
{
    public string ApiVersion => $"{Group}/{Version}";

    /// <summary>The name of the CRD that serves the resource.</summary>
    public string CrdName => $"{Plural}.{Group}";

    public override string MissingMessage => $"{Product} is not installed: CRD {CrdName} ({Version}) not found; {Install}";

    /// <summary>True when an object of this apiVersion and kind needs this resource.</summary>
    public bool Serves(string? apiVersion, string? kind) => apiVersion == ApiVersion && kind == Kind;
}

/// <summary>
/// A named IngressClass (<c>spec.balancer.ingress.className</c>). An Ingress naming a class that does not exist is
/// accepted by the API server and then served by no controller, so the pool would look fine and get no traffic.
/// </summary>
public sealed record IngressClassPrerequisite(string Name, string Controller)
    : ClusterPrerequisite(ClusterPrerequisites.IngressClassMissing)
{
    public override string MissingMessage =>
        $"IngressClass {Name} (spec.balancer.ingress.className) not found; install {Controller}, " +
        "which creates its IngressClass, or set className to an existing class (kubectl get ingressclass)";
}

/// <summary>
/// The reasons a missing prerequisite is reported with, and the Gateway API's HTTPRoutes. Which kind needs what is
/// each balancer kind's own answer (<see cref="IBalancerKind.Prerequisites"/>).
/// </summary>
public static class ClusterPrerequisites
{
    public const string GatewayApiMissing = "GatewayAPIMissing";
    public const string IngressClassMissing = "IngressClassMissing";

    /// <summary>Gateway API HTTPRoutes as the standard channel installs them (sessionPersistence needs the experimental one).</summary>
    public static ApiResourcePrerequisite HttpRoutes(bool experimental) => new(
        OperatorPermissions.HttpRoutes.Group, OperatorPermissions.HttpRoutes.Version, OperatorPermissions.HttpRoutes.Resource,
        OperatorPermissions.HttpRoutes.Kind, GatewayApiMissing, "the Gateway API",
        experimental
            ? "install the Gateway API experimental channel (its HTTPRoute sessionPersistence carries the pool's affinity)"
            : "install the Gateway API standard channel");
}
