using WsPool.Core.Api;
using WsPool.Core.Rendering;

namespace WsPool.Core.Validation;

/// <summary>apiVersion, kind, and the pool's name and namespace, from which every owned object's name derives.</summary>
internal static class MetadataRules
{
    /// <summary>
    /// The longest name a pool may have: every owned object is named pool + suffix (PoolNames), and the longest
    /// suffix ("-cookie-key") must still fit a 63-character DNS label (Service names are labels).
    /// </summary>
    public const int MaxPoolNameLength = 40;

    public static void Check(WebSocketPool pool, List<ValidationError> errors)
    {
        if (pool.ApiVersion != WebSocketPool.GroupVersion)
            errors.Add(new("apiVersion", $"must be {WebSocketPool.GroupVersion}"));
        if (pool.Kind != WebSocketPool.KindName)
            errors.Add(new("kind", $"must be {WebSocketPool.KindName}"));

        var name = pool.Metadata?.Name;
        if (string.IsNullOrEmpty(name))
            errors.Add(new("metadata.name", "required"));
        else if (name.Length > MaxPoolNameLength)
            errors.Add(new("metadata.name", $"must be at most {MaxPoolNameLength} characters long, so that the names of the objects the pool owns (such as <name>-cookie-key) fit in 63"));
        else if (!AllowList.Matches(Grammars.Dns1123LabelPattern, name))
            errors.Add(new("metadata.name", GrammarMessages.For(Grammars.Dns1123LabelPattern)));

        var ns = pool.Metadata?.NamespaceProperty;
        if (ns is not null && (ns.Length > 63 || !AllowList.Matches(Grammars.Dns1123LabelPattern, ns)))
            errors.Add(new("metadata.namespace", GrammarMessages.For(Grammars.Dns1123LabelPattern) + ", at most 63 characters"));
    }
}
