namespace WsPool.Core.Api;

/// <summary>
/// Allow-list grammars for every user string that can reach a balancer config, an annotation or an object name.
/// Each excludes newline, quotes, braces, semicolon, '#', backslash, '$' and space by construction, which is what
/// keeps config injection (ingress-nginx CVE-2021-25742, CVE-2025-1974 and friends) out of the generated configs.
/// The CRD schema and the C# validator share these patterns.
/// </summary>
public static class Grammars
{
    /// <summary>An absolute URL path: '/' then unreserved characters and '/'.</summary>
    public const string PathPattern = "^/[A-Za-z0-9._~/-]*$";

    /// <summary>A conservative subset of the RFC 6265 / RFC 7230 token: safe as a cookie, header or query name.</summary>
    public const string TokenPattern = "^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$";

    /// <summary>An RFC 1123 DNS subdomain (Secret, ConfigMap, Gateway and host names).</summary>
    public const string Dns1123SubdomainPattern = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";

    /// <summary>An RFC 1123 DNS label (pool names, port names, namespaces).</summary>
    public const string Dns1123LabelPattern = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$";

    /// <summary>A host name for an Ingress or HTTPRoute; a leading '*.' wildcard label is allowed.</summary>
    public const string HostnamePattern = "^(\\*\\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";

    /// <summary>A container image reference: registry/repository[:tag][@digest].</summary>
    public const string ImagePattern = "^[a-z0-9]([a-z0-9._/:-]*[a-z0-9])?(@sha256:[a-f0-9]{64})?$";

    /// <summary>An environment variable name as POSIX shells accept it.</summary>
    public const string EnvVarNamePattern = "^[A-Za-z_][A-Za-z0-9_]*$";

    /// <summary>A Kubernetes label value.</summary>
    public const string LabelValuePattern = "^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$";
}
