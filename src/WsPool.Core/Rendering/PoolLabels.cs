namespace WsPool.Core.Rendering;

/// <summary>The recommended app.kubernetes.io labels on every object wspool renders.</summary>
public static class PoolLabels
{
    public const string Name = "app.kubernetes.io/name";
    public const string Instance = "app.kubernetes.io/instance";
    public const string Component = "app.kubernetes.io/component";
    public const string ManagedBy = "app.kubernetes.io/managed-by";
    public const string PartOf = "app.kubernetes.io/part-of";
    public const string ManagedByValue = "wspool-operator";
    public const string NameValue = "websocketpool";

    /// <summary>Component values.</summary>
    public const string BackendComponent = "backend";
    public const string BalancerComponent = "balancer";
    public const string BrokerComponent = "broker";

    /// <summary>Every label of an object of the given component of a pool.</summary>
    public static Dictionary<string, string> For(string pool, string component) => new()
    {
        [Name] = NameValue,
        [Instance] = pool,
        [Component] = component,
        [ManagedBy] = ManagedByValue,
        [PartOf] = pool,
    };

    /// <summary>The immutable selector of a component's pods: managed-by and part-of are left out so they may change.</summary>
    public static Dictionary<string, string> Selector(string pool, string component) => new()
    {
        [Name] = NameValue,
        [Instance] = pool,
        [Component] = component,
    };

    /// <summary><see cref="Selector"/> as a label selector string (<c>k=v,k=v</c>): list calls and the scale subresource.</summary>
    public static string SelectorText(string pool, string component) =>
        string.Join(",", Selector(pool, component).Select(l => $"{l.Key}={l.Value}"));
}
