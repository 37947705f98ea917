using System.Globalization;

namespace ChatServer;

/// <summary>
/// Everything the chat server can be told. Each setting has a command-line option and an environment variable; the
/// option wins. The <c>WSPOOL_*</c> variables are the contract with the wspool operator, which injects them into
/// backend containers (see README.md).
/// </summary>
public sealed record ChatSettings
{
    /// <summary>The path clients upgrade on.</summary>
    public string WebSocketPath { get; init; } = "/ws";

    /// <summary>The replica's name, reported by <c>/whoami</c> and in logs.</summary>
    public string ReplicaName { get; init; } = Environment.MachineName;

    /// <summary>Most WebSockets open at once; 0 means no limit.</summary>
    public int ConnectionLimit { get; init; }

    /// <summary>How long a drain spreads its closes over before the process exits.</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Port of the admin endpoints (/drain, /shed) on every listen address; 0 turns them off.</summary>
    public int AdminPort { get; init; } = 9091;

    /// <summary>redis://[:password@]host:port of the broker for cross-replica broadcast; none means local only.</summary>
    public string? RedisUrl { get; init; }

    /// <summary>The Pub/Sub channel replicas of one pool share.</summary>
    public string RedisChannel { get; init; } = "wspool:chat";

    /// <summary>How often the server pings a client; 0 turns pings off.</summary>
    public TimeSpan KeepAliveInterval { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>How long the server waits for a pong before it drops the peer as dead; 0 only pings.</summary>
    public TimeSpan KeepAliveTimeout { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>Largest message a client may send.</summary>
    public int MaxMessageBytes { get; init; } = 64 * 1024;

    /// <summary>Seconds in the Retry-After header of a refused upgrade.</summary>
    public int RetryAfterSeconds { get; init; } = 5;

    /// <summary>
    /// After a shed of N from C connections, how long upgrades are refused with 503 while the replica holds C − N or
    /// more, so shed clients (and their affinity cookies) land on another replica; 0 turns the hold off.
    /// </summary>
    public TimeSpan ShedHold { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a server-initiated close waits for the client's close frame before it aborts.</summary>
    public TimeSpan CloseHandshakeTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>json (one JSON object a line, for log collectors) or simple (for people).</summary>
    public string LogFormat { get; init; } = "json";

    /// <summary>Reads the settings; throws <see cref="SettingsException"/> naming the bad option.</summary>
    public static ChatSettings From(IConfiguration configuration)
    {
        var defaults = new ChatSettings();
        string? Read(string option, params string[] variables)
        {
            var value = configuration[option];
            if (!string.IsNullOrWhiteSpace(value)) return value.Trim();
            foreach (var variable in variables)
            {
                value = configuration[variable];
                if (!string.IsNullOrWhiteSpace(value)) return value.Trim();
            }
            return null;
        }

        var path = Read("ws-path", "WSPOOL_WS_PATH") ?? defaults.WebSocketPath;
        if (!path.StartsWith('/') || path.Any(char.IsWhiteSpace))
            throw new SettingsException($"--ws-path / WSPOOL_WS_PATH: '{path}' must start with '/' and contain no spaces");

        return new ChatSettings
        {
            WebSocketPath = path,
            ReplicaName = Read("replica-name", "WSPOOL_POD_NAME", "HOSTNAME") ?? defaults.ReplicaName,
            ConnectionLimit = Integer(Read("connection-limit", "WSPOOL_CONNECTION_LIMIT"), "--connection-limit / WSPOOL_CONNECTION_LIMIT", 0, int.MaxValue, defaults.ConnectionLimit),
            DrainTimeout = Span(Read("drain-timeout", "WSPOOL_DRAIN_TIMEOUT"), "--drain-timeout / WSPOOL_DRAIN_TIMEOUT", defaults.DrainTimeout),
            AdminPort = Integer(Read("admin-port", "WSPOOL_ADMIN_PORT"), "--admin-port / WSPOOL_ADMIN_PORT", 0, 65535, defaults.AdminPort),
            RedisUrl = Read("redis-url", "WSPOOL_REDIS_URL"),
            RedisChannel = Read("redis-channel", "WSPOOL_REDIS_CHANNEL") ?? defaults.RedisChannel,
            KeepAliveInterval = Span(Read("keepalive-interval", "WSPOOL_KEEPALIVE_INTERVAL"), "--keepalive-interval / WSPOOL_KEEPALIVE_INTERVAL", defaults.KeepAliveInterval),
            KeepAliveTimeout = Span(Read("keepalive-timeout", "WSPOOL_KEEPALIVE_TIMEOUT"), "--keepalive-timeout / WSPOOL_KEEPALIVE_TIMEOUT", defaults.KeepAliveTimeout),
            MaxMessageBytes = Integer(Read("max-message-bytes", "WSPOOL_MAX_MESSAGE_BYTES"), "--max-message-bytes / WSPOOL_MAX_MESSAGE_BYTES", 1, 16 * 1024 * 1024, defaults.MaxMessageBytes),
            ShedHold = Span(Read("shed-hold", "WSPOOL_SHED_HOLD"), "--shed-hold / WSPOOL_SHED_HOLD", defaults.ShedHold),
            RetryAfterSeconds = Integer(Read("retry-after", "WSPOOL_RETRY_AFTER"), "--retry-after / WSPOOL_RETRY_AFTER", 0, 3600, defaults.RetryAfterSeconds),
            LogFormat = Choice(Read("log-format", "WSPOOL_LOG_FORMAT"), "--log-format / WSPOOL_LOG_FORMAT", ["json", "simple"], defaults.LogFormat),
        };
    }

    private static int Integer(string? text, string name, int min, int max, int fallback)
    {
        if (text is null) return fallback;
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
            throw new SettingsException($"{name}: '{text}' must be a whole number from {min} to {max}");
        return value;
    }

    private static TimeSpan Span(string? text, string name, TimeSpan fallback)
    {
        if (text is null) return fallback;
        if (text == "0") return TimeSpan.Zero;
        if (!Duration.TryParse(text, out var value))
            throw new SettingsException($"{name}: '{text}' must be a duration like 500ms, 60s or 1m30s");
        return value;
    }

    private static string Choice(string? text, string name, string[] allowed, string fallback)
    {
        if (text is null) return fallback;
        if (!allowed.Contains(text, StringComparer.OrdinalIgnoreCase))
            throw new SettingsException($"{name}: '{text}' must be one of {string.Join(", ", allowed)}");
        return text.ToLowerInvariant();
    }
}
