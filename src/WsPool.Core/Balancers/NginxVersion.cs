using System.Text.RegularExpressions;
using WsPool.Core.Api;

namespace WsPool.Core.Balancers;

/// <summary>Which NGINX a managed Nginx balancer runs, and what that version can do.</summary>
public static partial class NginxVersion
{
    /// <summary>
    /// The NGINX 1.30 stable branch. The tag names no patch, so it reads as 1.30.0, the oldest release it can have
    /// pointed to, which already has <c>sticky cookie</c>. The tests check every generated config against the 1.30 they run.
    /// </summary>
    public const string DefaultImage = "nginx:1.30";
    /// <summary>Open-source NGINX gained <c>sticky cookie</c> in 1.29.6 (it was NGINX Plus only before).</summary>
    public static readonly Version StickyCookie = new(1, 29, 6);

    [GeneratedRegex("^([0-9]{1,3})\\.([0-9]{1,3})(?:\\.([0-9]{1,3}))?")]
    private static partial Regex Numbers();

    /// <summary>
    /// spec.balancer.nginxVersion when set, else the version in the image tag (nginx:1.29.6-alpine → 1.29.6, and
    /// nginx:1.30 → 1.30.0: a tag without a patch may name any release of that branch, so its first one counts), else
    /// the default image's version; null when the image's tag names no version (a digest, latest, a custom image).
    /// </summary>
    public static Version? Effective(BalancerSpec balancer)
    {
        if (balancer.NginxVersion is { } explicitVersion) return Parse(explicitVersion);
        var image = balancer.Image ?? DefaultImage;
        var withoutDigest = image.Split('@')[0];
        var slash = withoutDigest.LastIndexOf('/');
        var colon = withoutDigest.LastIndexOf(':');
        return colon > slash ? Parse(withoutDigest[(colon + 1)..]) : null;
    }

    public static bool SupportsStickyCookie(BalancerSpec balancer) => Effective(balancer) is { } v && v >= StickyCookie;

    private static Version? Parse(string text)
    {
        var match = Numbers().Match(text);
        if (!match.Success) return null;
        var patch = match.Groups[3].Success ? int.Parse(match.Groups[3].Value, System.Globalization.CultureInfo.InvariantCulture) : 0;
        return new Version(int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture),
            int.Parse(match.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture), patch);
    }
}
