using System.Text.RegularExpressions;

namespace WsPool.Local.Node;

/// <summary>
/// Turns a balancer config written for a pod (mounted ConfigMap, listening on every interface of its own network
/// namespace) into one that runs as a process here: every mount path becomes its pod directory, every listener binds
/// the pod's address instead of all interfaces (several balancer pods share one machine's ports that way), and the
/// files the balancer itself creates (Unix sockets, pid files) land in the pod directory. Nothing else changes, so the
/// generated config is what runs. The same rewrite as the Balancers tests' LocalRun, with the pod's address instead
/// of free ports.
/// </summary>
public static partial class ConfigRewrite
{
    /// <summary>sun_path holds 108 bytes, the terminating NUL included.</summary>
    public const int MaxUnixSocketPath = 107;

    // "bind :8080", "bind *:8080", "bind 0.0.0.0:8080", "bind [::]:8080" (the address part only; options stay).
    [GeneratedRegex(@"^(\s*bind\s+)(?:\*|0\.0\.0\.0|\[::\]|::)?:(\d+)(?=[\s,]|$)", RegexOptions.Multiline)]
    private static partial Regex HAProxyWildcardBind();

    [GeneratedRegex(@"^(\s*stats\s+socket\s+)(/\S+)", RegexOptions.Multiline)]
    private static partial Regex HAProxyStatsSocket();

    [GeneratedRegex(@"^(\s*pidfile\s+)(/\S+)", RegexOptions.Multiline)]
    private static partial Regex HAProxyPidFile();

    // "listen 8080", "listen *:8080", "listen 0.0.0.0:8080" (options such as ssl stay). An NGINX directive starts a
    // line or follows '{' or ';' ("server { listen 8404; }").
    [GeneratedRegex(@"((?:^|[{;])\s*listen\s+)(?:(?:\*|0\.0\.0\.0):)?(\d+)(?=[\s;])", RegexOptions.Multiline)]
    private static partial Regex NginxWildcardListen();

    [GeneratedRegex(@"((?:^|[{;])\s*)(listen\s+\[::\][^;]*;)", RegexOptions.Multiline)]
    private static partial Regex NginxIPv6Listen();

    [GeneratedRegex(@"((?:^|[{;])\s*pid\s+)(/[^;\s]+)", RegexOptions.Multiline)]
    private static partial Regex NginxPid();

    [GeneratedRegex(@"^\s*stream\s*\{", RegexOptions.Multiline)]
    private static partial Regex NginxStreamBlock();

    [GeneratedRegex(@"^\s*load_module\s+\S*ngx_stream_module\.so", RegexOptions.Multiline)]
    private static partial Regex NginxStreamModuleLoaded();

    /// <param name="text">haproxy.cfg as mounted.</param>
    /// <param name="mounts">The container's mounts.</param>
    /// <param name="podIP">The pod's address.</param>
    /// <param name="podDirectory">Where files HAProxy creates outside every mount go.</param>
    public static string HAProxy(string text, MountMap mounts, string podIP, string podDirectory)
    {
        text = mounts.Rewrite(text);
        text = HAProxyWildcardBind().Replace(text, m => $"{m.Groups[1].Value}{podIP}:{m.Groups[2].Value}");
        text = HAProxyStatsSocket().Replace(text, m => m.Groups[1].Value + IntoPodDirectory(m.Groups[2].Value, podDirectory, socket: true));
        return HAProxyPidFile().Replace(text, m => m.Groups[1].Value + IntoPodDirectory(m.Groups[2].Value, podDirectory, socket: false));
    }

    /// <param name="text">nginx.conf as mounted.</param>
    /// <param name="mounts">The container's mounts.</param>
    /// <param name="podIP">The pod's address.</param>
    /// <param name="podDirectory">Where files NGINX creates outside every mount go.</param>
    /// <param name="streamModule">
    /// ngx_stream_module.so of the NGINX that runs: Debian builds the stream module as a dynamic module (the official
    /// image builds it in), so a layer-4 config needs a load_module line first. Null when it cannot be found.
    /// </param>
    public static string Nginx(string text, MountMap mounts, string podIP, string podDirectory, string? streamModule)
    {
        text = mounts.Rewrite(text);
        text = NginxWildcardListen().Replace(text, m => $"{m.Groups[1].Value}{podIP}:{m.Groups[2].Value}");
        // A pod here has one IPv4 address; an IPv6 wildcard would also clash with every other pod's listener. The
        // directive is removed, not commented out: a '#' would also hide whatever follows it on the line ("}").
        text = NginxIPv6Listen().Replace(text, m => m.Groups[1].Value);
        text = NginxPid().Replace(text, m => m.Groups[1].Value + IntoPodDirectory(m.Groups[2].Value, podDirectory, socket: false));
        if (streamModule is not null && NginxStreamBlock().IsMatch(text) && !NginxStreamModuleLoaded().IsMatch(text))
            text = $"load_module {streamModule};\n" + text;
        return text;
    }

    /// <summary>
    /// A path the process creates: kept when it is already in the pod directory (a mount was rewritten there), moved
    /// into it otherwise, so two pods never share a socket or pid file and nothing is written outside the state folder.
    /// </summary>
    private static string IntoPodDirectory(string path, string podDirectory, bool socket)
    {
        var inside = path.StartsWith(podDirectory.TrimEnd('/') + "/", StringComparison.Ordinal)
            ? path
            : Path.Combine(podDirectory, "run", Path.GetFileName(path));
        if (socket && inside.Length > MaxUnixSocketPath)
            throw new InvalidOperationException(
                $"the Unix socket path {inside} is {inside.Length} bytes, more than a socket address holds ({MaxUnixSocketPath}): " +
                "choose a shorter state directory for the local node");
        return inside;
    }
}
