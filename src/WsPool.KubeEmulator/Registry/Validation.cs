using System.Text.RegularExpressions;
using System.Text.Json.Nodes;
using WsPool.KubeEmulator.Errors;
using WsPool.KubeEmulator.Json;
using WsPool.KubeEmulator.Resources;

namespace WsPool.KubeEmulator.Registry;

/// <summary>The generic object checks every kind gets (names, identity); kind-specific schemas are not validated.</summary>
internal static partial class Validation
{
    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex DnsSubdomain();

    public static void Name(ResourceType type, string name)
    {
        if (name.Length > 253 || !DnsSubdomain().IsMatch(name))
            throw ApiError.Invalid(type.Group, type.Kind, name, ("metadata.name",
                $"Invalid value: \"{name}\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character"));
    }

    /// <summary>apiVersion and kind default to the endpoint's; a different one is a bad request.</summary>
    public static void TypeMeta(ResourceType type, JsonObject body, bool required = false)
    {
        var apiVersion = body.Str("apiVersion");
        var kind = body.Str("kind");
        if (required && (string.IsNullOrEmpty(apiVersion) || string.IsNullOrEmpty(kind)))
            throw ApiError.BadRequest("invalid object: apiVersion and kind must be set for apply");
        if (!string.IsNullOrEmpty(kind) && kind != type.Kind)
            throw ApiError.BadRequest($"the body of the request was of kind {kind}, but the endpoint serves {type.Kind}");
        if (!string.IsNullOrEmpty(apiVersion) && apiVersion != type.ApiVersion)
        {
            var group = apiVersion.Contains('/') ? apiVersion[..apiVersion.IndexOf('/')] : "";
            if (group != type.Group)
                throw ApiError.BadRequest($"the API version in the data ({apiVersion}) does not match the expected API version ({type.ApiVersion})");
        }
        body["apiVersion"] = type.ApiVersion;
        body["kind"] = type.Kind;
    }
}
