namespace WsPool.KubeEmulator.Resources;

/// <summary>The built-in kinds the emulator serves: the ones wspool reads or writes, plus what a controller needs.</summary>
public static class BuiltInResources
{
    private static ResourceType Make(string group, string version, string plural, string singular, string kind,
        bool namespaced, string[]? shortNames = null, bool status = false, ScaleSpec? scale = null,
        string[]? categories = null, string[]? verbs = null) => new()
    {
        Group = group,
        Version = version,
        Plural = plural,
        Singular = singular,
        Kind = kind,
        Namespaced = namespaced,
        ShortNames = shortNames ?? [],
        HasStatus = status,
        Scale = scale,
        Categories = categories ?? [],
        Verbs = verbs ?? ResourceType.StandardVerbs,
    };

    public static readonly ResourceType Pods = Make("", "v1", "pods", "pod", "Pod", true, ["po"], status: true, categories: ["all"]);
    public static readonly ResourceType Services = Make("", "v1", "services", "service", "Service", true, ["svc"], status: true, categories: ["all"]);
    public static readonly ResourceType Endpoints = Make("", "v1", "endpoints", "endpoints", "Endpoints", true, ["ep"]);
    /// <summary>discovery.k8s.io/v1 EndpointSlices: the operator reads the ready addresses of a pool's headless Service.</summary>
    public static readonly ResourceType EndpointSlices = Make("discovery.k8s.io", "v1", "endpointslices", "endpointslice", "EndpointSlice", true);
    public static readonly ResourceType ConfigMaps = Make("", "v1", "configmaps", "configmap", "ConfigMap", true, ["cm"]);
    public static readonly ResourceType Secrets = Make("", "v1", "secrets", "secret", "Secret", true);
    public static readonly ResourceType Namespaces = Make("", "v1", "namespaces", "namespace", "Namespace", false, ["ns"], status: true,
        verbs: ["create", "delete", "get", "list", "patch", "update", "watch"]);
    public static readonly ResourceType CoreEvents = Make("", "v1", "events", "event", "Event", true, ["ev"]);
    public static readonly ResourceType Events = Make("events.k8s.io", "v1", "events", "event", "Event", true, ["ev"]);
    public static readonly ResourceType Deployments = Make("apps", "v1", "deployments", "deployment", "Deployment", true, ["deploy"],
        status: true, scale: new ScaleSpec(".spec.replicas", ".status.replicas", SelectorObjectPath: ".spec.selector"), categories: ["all"]);
    public static readonly ResourceType ReplicaSets = Make("apps", "v1", "replicasets", "replicaset", "ReplicaSet", true, ["rs"],
        status: true, scale: new ScaleSpec(".spec.replicas", ".status.replicas", SelectorObjectPath: ".spec.selector"), categories: ["all"]);
    public static readonly ResourceType PodDisruptionBudgets = Make("policy", "v1", "poddisruptionbudgets", "poddisruptionbudget",
        "PodDisruptionBudget", true, ["pdb"], status: true);
    public static readonly ResourceType Ingresses = Make("networking.k8s.io", "v1", "ingresses", "ingress", "Ingress", true, ["ing"], status: true);
    public static readonly ResourceType IngressClasses = Make("networking.k8s.io", "v1", "ingressclasses", "ingressclass", "IngressClass", false);
    public static readonly ResourceType HttpRoutes = Make("gateway.networking.k8s.io", "v1", "httproutes", "httproute", "HTTPRoute", true,
        status: true, categories: ["gateway-api"]) with { IsCustom = true, ListTypes = ListTypes.FromSchema(null) };
    public static readonly ResourceType Leases = Make("coordination.k8s.io", "v1", "leases", "lease", "Lease", true);
    /// <summary>What `helm install` of the chart creates besides the Deployment: the operator's identity and RBAC.</summary>
    public static readonly ResourceType ServiceAccounts = Make("", "v1", "serviceaccounts", "serviceaccount", "ServiceAccount", true, ["sa"]);
    public static readonly ResourceType ClusterRoles = Make("rbac.authorization.k8s.io", "v1", "clusterroles", "clusterrole", "ClusterRole", false);
    public static readonly ResourceType ClusterRoleBindings = Make("rbac.authorization.k8s.io", "v1", "clusterrolebindings", "clusterrolebinding", "ClusterRoleBinding", false);
    public static readonly ResourceType Roles = Make("rbac.authorization.k8s.io", "v1", "roles", "role", "Role", true);
    public static readonly ResourceType RoleBindings = Make("rbac.authorization.k8s.io", "v1", "rolebindings", "rolebinding", "RoleBinding", true);
    public static readonly ResourceType CustomResourceDefinitions = Make("apiextensions.k8s.io", "v1", "customresourcedefinitions",
        "customresourcedefinition", "CustomResourceDefinition", false, ["crd", "crds"], status: true);

    public static IReadOnlyList<ResourceType> All { get; } =
    [
        Pods, Services, Endpoints, EndpointSlices, ConfigMaps, Secrets, Namespaces, CoreEvents, Events, Deployments, ReplicaSets,
        PodDisruptionBudgets, Ingresses, IngressClasses, HttpRoutes, Leases, ServiceAccounts, ClusterRoles, ClusterRoleBindings, Roles,
        RoleBindings, CustomResourceDefinitions,
    ];
}
