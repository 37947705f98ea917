using System.Net;

namespace WsPool.Load;

/// <summary>What the messages a connection sends ask of the server.</summary>
public enum MessageKind
{
    /// <summary><c>/echo ...</c>: answered to the sender only; each answer gives a round-trip latency sample.</summary>
    Echo,

    /// <summary>Plain text: broadcast to every client of the pool (costs N² deliveries; use low rates).</summary>
    Broadcast,
}

/// <summary>What a connection does with cookies the server (or the balancer in front of it) sets.</summary>
public enum CookieMode
{
    /// <summary>Ignore Set-Cookie; every connect is a stranger.</summary>
    None,

    /// <summary>Each connection keeps its own cookies and sends them when it reconnects (a browser tab).</summary>
    PerConnection,

    /// <summary>All connections share one cookie jar (one browser, many tabs).</summary>
    Shared,
}

/// <summary>A load run: how many connections, how fast, for how long, and what they send.</summary>
public sealed record LoadOptions
{
    /// <summary>The ws:// or wss:// URL to connect to.</summary>
    public required Uri Url { get; init; }

    /// <summary>Concurrent connections to open.</summary>
    public int Connections { get; init; } = 100;

    /// <summary>New connections per second during the ramp; 0 opens them as fast as <see cref="ConnectConcurrency"/> allows.</summary>
    public double ConnectRate { get; init; }

    /// <summary>Most handshakes in flight at once.</summary>
    public int ConnectConcurrency { get; init; } = 200;

    /// <summary>How long to hold the connections once the ramp is done; null holds until the run is stopped.</summary>
    public TimeSpan? Hold { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Messages per second each connection sends while open; 0 sends none.</summary>
    public double MessageRate { get; init; }

    public MessageKind MessageKind { get; init; } = MessageKind.Echo;

    /// <summary>Approximate size of a sent message in bytes (padded).</summary>
    public int MessageSize { get; init; } = 32;

    /// <summary>Local addresses to connect from, round-robin (e.g. 127.0.0.1..127.0.0.4, to get past one address's port range).</summary>
    public IReadOnlyList<IPAddress> SourceAddresses { get; init; } = [];

    public CookieMode Cookies { get; init; } = CookieMode.PerConnection;

    /// <summary>Request headers on every handshake; <c>{i}</c> in a value becomes the connection's index.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    /// <summary>Query string added to the URL (without '?'); <c>{i}</c> becomes the connection's index.</summary>
    public string? Query { get; init; }

    /// <summary>Reconnect after an early close or a failed connect, with jittered exponential backoff.</summary>
    public bool Reconnect { get; init; }

    public TimeSpan ReconnectMinDelay { get; init; } = TimeSpan.FromMilliseconds(100);
    public TimeSpan ReconnectMaxDelay { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Ask the server <c>/whoami</c> after each connect, to count connections per replica.</summary>
    public bool WhoAmI { get; init; } = true;

    /// <summary>
    /// Accept any server certificate on wss:// (like curl -k): for a balancer serving a self-signed certificate, as
    /// `wspool local` creates for a TLS Secret nobody provided. Never for a real service.
    /// </summary>
    public bool Insecure { get; init; }

    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);
    public TimeSpan WhoAmITimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long the final close handshakes may take before the sockets are aborted.</summary>
    public TimeSpan CloseTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Keep each connection's history (replicas it landed on, close codes) in the summary.</summary>
    public bool KeepDetails { get; init; }

    /// <summary>Seed for backoff jitter and message phases; random when unset.</summary>
    public int? Seed { get; init; }

    /// <summary>Checks the options; returns the problems, each naming the option.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (Url.Scheme is not ("ws" or "wss")) problems.Add($"url: '{Url}' must be ws:// or wss://");
        if (Connections < 1) problems.Add("connections: must be at least 1");
        if (ConnectRate < 0) problems.Add("connectRate: must be 0 (unlimited) or more");
        if (ConnectConcurrency < 1) problems.Add("connectConcurrency: must be at least 1");
        if (Hold < TimeSpan.Zero) problems.Add("hold: must not be negative");
        if (MessageRate < 0) problems.Add("messageRate: must be 0 or more");
        if (MessageSize is < 1 or > 1024 * 1024) problems.Add("messageSize: must be 1 to 1048576 bytes");
        if (ReconnectMinDelay <= TimeSpan.Zero || ReconnectMaxDelay < ReconnectMinDelay)
            problems.Add("reconnectMinDelay/reconnectMaxDelay: need 0 < min <= max");
        if (Query is not null && (Query.StartsWith('?') || Query.Any(char.IsWhiteSpace)))
            problems.Add("query: give it without the leading '?' and without spaces");
        foreach (var name in Headers.Keys)
            if (name.Length == 0 || name.Any(c => c <= ' ' || c == ':' || c > '~')) problems.Add($"headers[{name}]: not a valid header name");
        return problems;
    }
}
