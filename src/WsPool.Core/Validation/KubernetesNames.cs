using System.Text.RegularExpressions;
using WsPool.Core.Api;

namespace WsPool.Core.Validation;

/// <summary>The Kubernetes name grammars wspool depends on beyond Api/Grammars (port names, label keys).</summary>
public static partial class KubernetesNames
{
    /// <summary>IANA_SVC_NAME (RFC 6335), what a container port name must be: at most 15 characters, a letter, no "--".</summary>
    public static bool IsPortName(string? name) =>
        name is { Length: > 0 and <= 15 }
        && AllowList.Matches(PortNameGrammar(), name)
        && name.Any(char.IsAsciiLetterLower)
        && !name.Contains("--", StringComparison.Ordinal);

    /// <summary>A label key: an optional DNS-subdomain prefix and '/', then a name of at most 63 characters.</summary>
    public static bool IsLabelKey(string? key)
    {
        if (string.IsNullOrEmpty(key)) return false;
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        var name = slash < 0 ? key : key[(slash + 1)..];
        if (slash >= 0)
        {
            var prefix = key[..slash];
            if (prefix.Length is 0 or > 253 || !AllowList.Matches(Grammars.Dns1123SubdomainPattern, prefix)) return false;
        }
        return name.Length is > 0 and <= 63 && AllowList.Matches(LabelNameGrammar(), name);
    }

    /// <summary>A label value: empty, or at most 63 characters of the label-value grammar.</summary>
    public static bool IsLabelValue(string? value) =>
        value is not null && value.Length <= 63 && AllowList.Matches(Grammars.LabelValuePattern, value);

    [GeneratedRegex("^[a-z0-9]([a-z0-9-]*[a-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex PortNameGrammar();

    [GeneratedRegex("^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex LabelNameGrammar();
}
