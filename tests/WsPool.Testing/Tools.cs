namespace WsPool.Testing;

/// <summary>
/// Where the tests find the external programs they run (haproxy, nginx, redis-server, dnsmasq, lua5.4, kubectl,
/// helm, etcd, the CRD server). One place, so no test hard-codes a path.
/// <para>
/// <c>make deps</c> (tests/deps/provision) puts a wrapper for each into <c>$WSPOOL_CACHE/bin</c>
/// (default <c>~/.cache/wspool/bin</c>): HAProxy 3.2 and NGINX 1.30 from Debian sid, run through their own loader.
/// That folder wins over PATH, so the tests always run the versions we ship; a tool found in neither is a test
/// failure that names the command that provides it, never a skipped test.
/// </para>
/// </summary>
public static class Tools
{
    public const string HAProxy = "haproxy";
    public const string Nginx = "nginx";
    public const string RedisServer = "redis-server";
    public const string Dnsmasq = "dnsmasq";
    public const string Lua = "lua5.4";
    public const string Kubectl = "kubectl";
    public const string Helm = "helm";
    public const string Etcd = "etcd";
    public const string CrdServer = "wspool-crd-server";

    /// <summary>The cache folder tests/deps/provision fills.</summary>
    public static string CacheDirectory =>
        Environment.GetEnvironmentVariable("WSPOOL_CACHE") is { Length: > 0 } cache
            ? cache
            : System.IO.Path.Combine(
                Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } xdg
                    ? xdg
                    : System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache"),
                "wspool");

    /// <summary>The absolute path of a tool; throws with the command that provides it when it is nowhere.</summary>
    public static string Path(string tool) =>
        Find(tool) ?? throw new FileNotFoundException(
            $"'{tool}' was not found in {System.IO.Path.Combine(CacheDirectory, "bin")} nor on PATH: run `make deps` " +
            "(tests/deps/provision), which provides every tool the tests use");

    /// <summary>The absolute path of a tool, or null when neither the cache nor PATH has it.</summary>
    public static string? Find(string tool)
    {
        var cached = System.IO.Path.Combine(CacheDirectory, "bin", tool);
        if (File.Exists(cached)) return cached;
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        return path.Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => System.IO.Path.Combine(dir, tool))
            .FirstOrDefault(File.Exists);
    }

    /// <summary>An NGINX dynamic module (e.g. <c>ngx_stream_module.so</c>) of the NGINX that <see cref="Path"/> finds.</summary>
    public static string NginxModule(string file)
    {
        var cached = System.IO.Path.Combine(CacheDirectory, "nginx-modules", file);
        if (File.Exists(cached)) return cached;
        var system = System.IO.Path.Combine("/usr/lib/nginx/modules", file);
        return File.Exists(system) ? system
            : throw new FileNotFoundException($"NGINX module {file} was not found: run `make deps` (tests/deps/provision)");
    }
}
