using System.Text.Json.Serialization;
using k8s;
using k8s.Models;
using WsPool.Core.Permissions;

namespace WsPool.Core.Balancers;

/// <summary>
/// A Gateway API HTTPRoute (gateway.networking.k8s.io/v1), as far as wspool writes it. KubernetesClient has no
/// Gateway API types; this small model serializes with the same JSON/YAML machinery as the built-in kinds.
/// </summary>
public sealed class HttpRoute : IKubernetesObject<V1ObjectMeta>, ISpec<HttpRouteSpec>
{
    [JsonPropertyName("apiVersion")] public string ApiVersion { get; set; } = OperatorPermissions.HttpRoutes.ApiVersion;
    [JsonPropertyName("kind")] public string Kind { get; set; } = OperatorPermissions.HttpRoutes.Kind;
    [JsonPropertyName("metadata")] public V1ObjectMeta Metadata { get; set; } = new();
    [JsonPropertyName("spec")] public HttpRouteSpec Spec { get; set; } = new();
}

public sealed class HttpRouteSpec
{
    [JsonPropertyName("parentRefs")] public List<HttpRouteParentRef> ParentRefs { get; set; } = [];
    [JsonPropertyName("hostnames")] public List<string>? Hostnames { get; set; }
    [JsonPropertyName("rules")] public List<HttpRouteRule> Rules { get; set; } = [];
}

public sealed class HttpRouteParentRef
{
    [JsonPropertyName("name")] public string Name { get; set; } = "";
    [JsonPropertyName("namespace")] public string? Namespace { get; set; }
    [JsonPropertyName("sectionName")] public string? SectionName { get; set; }
}

public sealed class HttpRouteRule
{
    [JsonPropertyName("matches")] public List<HttpRouteMatch> Matches { get; set; } = [];
    [JsonPropertyName("backendRefs")] public List<HttpRouteBackendRef> BackendRefs { get; set; } = [];
    /// <summary>Experimental (GEP-1619): Envoy Gateway implements it; other gateways may ignore or reject it.</summary>
    [JsonPropertyName("sessionPersistence")] public HttpRouteSessionPersistence? SessionPersistence { get; set; }
}

public sealed class HttpRouteMatch
{
    [JsonPropertyName("path")] public HttpRoutePathMatch Path { get; set; } = new();
}

public sealed class HttpRoutePathMatch
{
    [JsonPropertyName("type")] public string Type { get; set; } = "PathPrefix";
    [JsonPropertyName("value")] public string Value { get; set; } = "/";
}

public sealed class HttpRouteBackendRef
{
    [JsonPropertyName("name")] public string Name { get; set; } = "";
    [JsonPropertyName("port")] public int Port { get; set; }
}

public sealed class HttpRouteSessionPersistence
{
    [JsonPropertyName("sessionName")] public string? SessionName { get; set; }
    /// <summary>Cookie or Header.</summary>
    [JsonPropertyName("type")] public string Type { get; set; } = "Cookie";
    [JsonPropertyName("absoluteTimeout")] public string? AbsoluteTimeout { get; set; }
    [JsonPropertyName("idleTimeout")] public string? IdleTimeout { get; set; }
    [JsonPropertyName("cookieConfig")] public HttpRouteCookieConfig? CookieConfig { get; set; }
}

public sealed class HttpRouteCookieConfig
{
    /// <summary>Permanent (Max-Age from absoluteTimeout) or Session.</summary>
    [JsonPropertyName("lifetimeType")] public string LifetimeType { get; set; } = "Session";
}
