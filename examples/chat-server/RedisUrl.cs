using StackExchange.Redis;

namespace ChatServer;

/// <summary>
/// Turns the broker URL the operator injects (<c>redis://[[user]:password@]host[:port][/db]</c>, or <c>rediss://</c>
/// for TLS) into StackExchange.Redis options.
/// </summary>
public static class RedisUrl
{
    public static ConfigurationOptions Parse(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("redis" or "rediss") || string.IsNullOrEmpty(uri.Host))
            throw new SettingsException($"--redis-url / WSPOOL_REDIS_URL: '{Redact(url)}' must look like redis://[:password@]host:port");

        var options = new ConfigurationOptions
        {
            // Start and keep serving local clients while Redis is away; reconnect in the background.
            AbortOnConnectFail = false,
            Ssl = uri.Scheme == "rediss",
            ConnectTimeout = 5000,
            ClientName = "wspool-chat-server",
        };
        options.EndPoints.Add(uri.Host.Trim('[', ']'), uri.IsDefaultPort || uri.Port <= 0 ? 6379 : uri.Port);
        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            var parts = uri.UserInfo.Split(':', 2);
            if (parts.Length == 2)
            {
                if (parts[0].Length > 0) options.User = Uri.UnescapeDataString(parts[0]);
                options.Password = Uri.UnescapeDataString(parts[1]);
            }
            else
            {
                options.Password = Uri.UnescapeDataString(parts[0]);
            }
        }
        var path = uri.AbsolutePath.Trim('/');
        if (path.Length > 0)
        {
            if (!int.TryParse(path, out var database) || database < 0)
                throw new SettingsException($"--redis-url / WSPOOL_REDIS_URL: the path '/{path}' must be a database number");
            options.DefaultDatabase = database;
        }
        return options;
    }

    /// <summary>The URL without its password, for logs and error messages.</summary>
    public static string Redact(string url)
    {
        var at = url.IndexOf('@');
        var scheme = url.IndexOf("://", StringComparison.Ordinal);
        return at > 0 && scheme > 0 && at > scheme ? url[..(scheme + 3)] + "***@" + url[(at + 1)..] : url;
    }
}
