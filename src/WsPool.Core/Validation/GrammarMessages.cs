using WsPool.Core.Api;

namespace WsPool.Core.Validation;

/// <summary>What each allow-list grammar means, in words a user can act on; keyed by the pattern itself.</summary>
public static class GrammarMessages
{
    public const string Duration =
        "must be a duration: a number and a unit (ms, s, m, h or d), repeated, such as 500ms, 5s, 1m30s or 2d";

    public const string PortName =
        "must be an IANA service name (at most 15 lowercase letters, digits and '-', with at least one letter, no '--', starting and ending with a letter or digit)";

    private static readonly Dictionary<string, string> ByPattern = new(StringComparer.Ordinal)
    {
        [Grammars.TokenPattern] = "must be an RFC 6265 token (letters, digits, '.', '_', '-'), starting with a letter or digit, at most 64 characters",
        [Grammars.PathPattern] = "must be an absolute URL path: '/' followed by letters, digits, '.', '_', '~', '-' and '/'",
        [Grammars.Dns1123SubdomainPattern] = "must be a DNS-1123 subdomain (lowercase letters, digits, '-' and '.', each label starting and ending with a letter or digit)",
        [Grammars.Dns1123LabelPattern] = "must be a DNS-1123 label (lowercase letters, digits and '-', starting and ending with a letter or digit)",
        [Grammars.HostnamePattern] = "must be a DNS host name (lowercase letters, digits, '-' and '.'), optionally starting with '*.'",
        [Grammars.ImagePattern] = "must be an image reference such as registry.example.com/team/app:1.2.3 (lowercase letters, digits, '.', '_', '/', ':', '-', and an optional @sha256 digest)",
        [Grammars.EnvVarNamePattern] = "must be an environment variable name (letters, digits and '_', not starting with a digit)",
        [Grammars.LabelValuePattern] = "must be a label value (letters, digits, '-', '_' and '.', starting and ending with a letter or digit)",
        [DurationAttribute.Pattern] = Duration,
        ["^[-._a-zA-Z0-9]+$"] = "must be a Secret key (letters, digits, '-', '_' and '.')",
        ["^[0-9]{1,3}\\.[0-9]{1,3}(\\.[0-9]{1,3})?$"] = "must be a version such as 1.29 or 1.29.6 (two or three numbers separated by '.')",
        ["^[a-zA-Z_:][a-zA-Z0-9_:]*$"] = "must be a Prometheus metric name (letters, digits, '_' and ':', not starting with a digit)",
    };

    /// <summary>The message for a value that does not match <paramref name="pattern"/>.</summary>
    public static string For(string pattern) =>
        ByPattern.TryGetValue(pattern, out var message) ? message : $"must match the pattern {pattern}";
}
