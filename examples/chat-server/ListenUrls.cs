namespace ChatServer;

/// <summary>
/// Where the server listens. The main URLs come from ASP.NET Core's own <c>--urls</c> / <c>ASPNETCORE_URLS</c> (or
/// <c>ASPNETCORE_HTTP_PORTS</c>, which the official images set to 8080). The admin port listens on the same hosts, so
/// a replica bound to 127.0.0.2 has its admin endpoints on 127.0.0.2 too, and several replicas can share one machine.
/// </summary>
public sealed record ListenUrls(IReadOnlyList<string> Main, IReadOnlyList<string> Admin)
{
    public const string DefaultUrl = "http://+:8080";

    public IEnumerable<string> All => Main.Concat(Admin);

    public static ListenUrls From(IConfiguration configuration, int adminPort)
    {
        var main = Split(configuration["urls"]);
        if (main.Count == 0)
            main = Split(configuration["http_ports"]).Select(port => $"http://+:{port}").ToList();
        if (main.Count == 0) main = [DefaultUrl];

        var admin = new List<string>();
        foreach (var url in main)
        {
            var (scheme, host, port) = Parse(url);
            if (scheme != "http")
                throw new SettingsException($"--urls / ASPNETCORE_URLS: '{url}' must be http:// (terminate TLS at the balancer)");
            if (port == adminPort && adminPort != 0)
                throw new SettingsException($"--admin-port / WSPOOL_ADMIN_PORT: {adminPort} is also a main port in '{url}'; the admin port must differ");
            if (adminPort != 0) admin.Add($"http://{host}:{adminPort}");
        }
        return new ListenUrls(main, admin.Distinct().ToList());
    }

    private static List<string> Split(string? value) =>
        (value ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();

    /// <summary>Splits scheme://host:port by hand: Uri rejects Kestrel's wildcard hosts '+' and '*'.</summary>
    private static (string Scheme, string Host, int Port) Parse(string url)
    {
        var schemeEnd = url.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd <= 0) throw new SettingsException($"--urls / ASPNETCORE_URLS: '{url}' must look like http://host:port");
        var scheme = url[..schemeEnd].ToLowerInvariant();
        var rest = url[(schemeEnd + 3)..];
        var slash = rest.IndexOf('/');
        if (slash >= 0) rest = rest[..slash];
        var colon = rest.LastIndexOf(':');
        if (colon <= 0 || rest.EndsWith(']') || !int.TryParse(rest[(colon + 1)..], out var port) || port is < 0 or > 65535)
            throw new SettingsException($"--urls / ASPNETCORE_URLS: '{url}' must name a port, like http://0.0.0.0:8080");
        return (scheme, rest[..colon], port);
    }
}
