using System.Text.RegularExpressions;

namespace WsPool.Local.Node;

/// <summary>
/// A pod's processes share this machine's resolver, which knows nothing of <c>svc.cluster.local</c>: a backend told to
/// reach <c>chat-redis.chat.svc:6379</c> would never connect. So before a container starts, the node writes each
/// Service name in its environment as the address the local cluster DNS gives for it now, as the container would
/// have resolved it. A name with no ready endpoint yet holds the container back (retried) instead of starting it
/// with an address that can never work. Addresses do not follow later changes (a restarted Redis keeps its address
/// while its pod lives; a new pod of it would need the backend restarted).
/// </summary>
public static partial class ClusterNames
{
    [GeneratedRegex(@"(?<![A-Za-z0-9.-])(?<name>[a-z0-9]([a-z0-9-]*[a-z0-9])?\.[a-z0-9]([a-z0-9-]*[a-z0-9])?\.svc(\.cluster\.local)?)(?![A-Za-z0-9-]|\.[A-Za-z0-9])",
        RegexOptions.CultureInvariant)]
    private static partial Regex ServiceName();

    /// <summary>
    /// Each value with its Service names replaced by <paramref name="resolve"/>'s address; unchanged when there is
    /// no resolver.
    /// </summary>
    /// <exception cref="MissingSourceException">A name resolves to nothing yet.</exception>
    internal static IReadOnlyList<KeyValuePair<string, string>> Substitute(IReadOnlyList<KeyValuePair<string, string>> environment,
        Func<string, string?>? resolve)
    {
        if (resolve is null) return environment;
        return environment.Select(variable => KeyValuePair.Create(variable.Key, ServiceName().Replace(variable.Value, match =>
        {
            var name = match.Groups["name"].Value;
            return resolve(name) ?? throw new MissingSourceException("ServiceNotReady",
                $"env {variable.Key} names Service {name}, which has no ready endpoint yet: waiting (the local node writes Service names as addresses)");
        }))).ToList();
    }
}
