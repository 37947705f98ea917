using WsPool.KubeEmulator.Resources;

namespace WsPool.KubeEmulator.Http;

/// <summary>What a request addresses, as the API server's request-info resolver sees it.</summary>
public sealed record RequestInfo
{
    /// <summary>get, list, watch, create, update, patch, delete, deletecollection; or "discovery" for non-resource paths.</summary>
    public required string Verb { get; init; }
    public string Group { get; init; } = "";
    public string Version { get; init; } = "";
    public string Resource { get; init; } = "";
    public string? Subresource { get; init; }
    public string? Namespace { get; init; }
    public string? Name { get; init; }
    public bool IsResourceRequest { get; init; }
    public ResourceType? Type { get; init; }

    public bool IsWrite => Verb is "create" or "update" or "patch" or "delete" or "deletecollection";
}

/// <summary>Parses /api and /apis paths into a <see cref="RequestInfo"/>.</summary>
public static class RequestParser
{
    public static RequestInfo Parse(string method, string path, bool watchQuery, ResourceCatalog catalog)
    {
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        int i;
        string group, version;
        if (segments.Length >= 2 && segments[0] == "api")
        {
            group = "";
            version = segments[1];
            i = 2;
        }
        else if (segments.Length >= 3 && segments[0] == "apis")
        {
            group = segments[1];
            version = segments[2];
            i = 3;
        }
        else return new RequestInfo { Verb = "discovery" };

        if (segments.Length == i) return new RequestInfo { Verb = "discovery", Group = group, Version = version };

        var watchPath = false;
        if (segments[i] == "watch")
        {
            watchPath = true;
            i++;
        }
        var rest = segments[i..];
        string? ns = null;
        string resource;
        string? name = null;
        string? sub = null;

        if (rest.Length >= 3 && rest[0] == "namespaces" && catalog.Find(group, version, rest[2]) is { Namespaced: true })
        {
            ns = rest[1];
            resource = rest[2];
            if (rest.Length >= 4) name = rest[3];
            if (rest.Length >= 5) sub = string.Join('/', rest[4..]);
        }
        else
        {
            resource = rest[0];
            if (rest.Length >= 2) name = rest[1];
            if (rest.Length >= 3) sub = string.Join('/', rest[2..]);
        }

        var verb = method switch
        {
            "GET" or "HEAD" when name is null => watchPath || watchQuery ? "watch" : "list",
            "GET" or "HEAD" => watchPath || watchQuery ? "watch" : "get",
            "POST" => "create",
            "PUT" => "update",
            "PATCH" => "patch",
            "DELETE" when name is null => "deletecollection",
            "DELETE" => "delete",
            _ => method.ToLowerInvariant(),
        };
        return new RequestInfo
        {
            Verb = verb,
            Group = group,
            Version = version,
            Resource = resource,
            Subresource = sub,
            Namespace = ns,
            Name = name,
            IsResourceRequest = true,
            Type = catalog.Find(group, version, resource),
        };
    }
}
