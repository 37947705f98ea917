using Microsoft.AspNetCore.Http;
using WsPool.KubeEmulator.Errors;

namespace WsPool.KubeEmulator.Tables;

/// <summary>What a row's <c>object</c> holds: nothing, a PartialObjectMetadata (the default), or the whole object.</summary>
public enum IncludeObject { None, Metadata, Object }

/// <summary>
/// A request for the Table representation: an Accept media range <c>application/json;as=Table;v=v1;g=meta.k8s.io</c>
/// (or <c>v1beta1</c>; the first one listed wins) and the <c>includeObject</c> query parameter.
/// </summary>
public sealed record TableRequest(string ApiVersion, IncludeObject Include)
{
    /// <summary>The Table asked for, or null when the client wants plain JSON; 400 on an unknown includeObject, as the server answers.</summary>
    public static TableRequest? From(HttpRequest request)
    {
        var version = TableVersion(request.Headers.Accept.ToString());
        if (version is null) return null;
        string? include = request.Query["includeObject"];
        var parsed = include switch
        {
            null or "" or "Metadata" => IncludeObject.Metadata,
            "Object" => IncludeObject.Object,
            "None" => IncludeObject.None,
            _ => throw ApiError.BadRequest("Unable to convert to Table as requested: includeObject: Invalid value: " +
                $"\"{include}\": must be 'Metadata', 'Object', 'None', or empty"),
        };
        return new TableRequest($"meta.k8s.io/{version}", parsed);
    }

    private static string? TableVersion(string accept)
    {
        foreach (var range in accept.Split(','))
        {
            var parts = range.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 0 || parts[0] is not ("application/json" or "*/*")) continue;
            var parameters = parts.Skip(1).Select(p => p.Split('=', 2)).Where(p => p.Length == 2)
                .ToDictionary(p => p[0].ToLowerInvariant(), p => p[1].Trim('"'));
            if (parameters.GetValueOrDefault("as") == "Table" && parameters.GetValueOrDefault("g") == "meta.k8s.io"
                && parameters.GetValueOrDefault("v") is "v1" or "v1beta1")
                return parameters["v"];
        }
        return null;
    }
}
