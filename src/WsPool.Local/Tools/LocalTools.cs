namespace WsPool.Local.Tools;

/// <summary>
/// Where local mode (and the tests) find the programs they run: haproxy, nginx, redis-server, dnsmasq. `make deps`
/// (tests/deps/provision) puts a wrapper for each into <c>$WSPOOL_CACHE/bin</c> (default <c>~/.cache/wspool/bin</c>),
/// which wins over PATH, so the versions we ship are the ones that run. A tool found nowhere is an error that names
/// the command that provides it.
/// </summary>
public static class LocalTools
{
    public const string HAProxy = "haproxy";
    public const string Nginx = "nginx";
    public const string RedisServer = "redis-server";
    public const string Dnsmasq = "dnsmasq";

    /// <summary>The cache folder `make deps` fills: $WSPOOL_CACHE, else $XDG_CACHE_HOME/wspool, else ~/.cache/wspool.</summary>
    public static string CacheDirectory =>
        Environment.GetEnvironmentVariable("WSPOOL_CACHE") is { Length: > 0 } cache
            ? cache
            : Path.Combine(
                Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } xdg
                    ? xdg
                    : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache"),
                "wspool");

    /// <summary>The absolute path of a tool, or null when neither the cache nor PATH has it.</summary>
    public static string? Find(string tool)
    {
        var cached = Path.Combine(CacheDirectory, "bin", tool);
        if (File.Exists(cached)) return cached;
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        return path.Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, tool))
            .FirstOrDefault(File.Exists);
    }

    /// <summary>The absolute path of a tool; throws with the command that provides it when it is nowhere.</summary>
    public static string Require(string tool) =>
        Find(tool) ?? throw new FileNotFoundException(
            $"'{tool}' was not found in {Path.Combine(CacheDirectory, "bin")} nor on PATH: run `make deps`, which provides " +
            "haproxy, nginx, redis-server and dnsmasq without installing anything system-wide");

    /// <summary>An NGINX dynamic module (e.g. <c>ngx_stream_module.so</c>) of the NGINX that <see cref="Find"/> finds.</summary>
    public static string? NginxModule(string file)
    {
        var cached = Path.Combine(CacheDirectory, "nginx-modules", file);
        if (File.Exists(cached)) return cached;
        var system = Path.Combine("/usr/lib/nginx/modules", file);
        return File.Exists(system) ? system : null;
    }
}
