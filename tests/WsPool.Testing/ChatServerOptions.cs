namespace WsPool.Testing;

/// <summary>How a test wants its chat server started; unset values use the server's own defaults.</summary>
public sealed record ChatServerOptions
{
    /// <summary>The loopback address the replica listens on (127.0.0.2, 127.0.0.3, ... play separate pods).</summary>
    public string Address { get; init; } = "127.0.0.1";

    /// <summary>The main port; a free one when unset.</summary>
    public int? Port { get; init; }

    /// <summary>The admin port (/drain, /shed); a free one when unset, 0 turns the admin endpoints off.</summary>
    public int? AdminPort { get; init; }

    /// <summary>What /whoami reports; "chat-&lt;address&gt;-&lt;port&gt;" when unset.</summary>
    public string? ReplicaName { get; init; }

    public int? ConnectionLimit { get; init; }
    public TimeSpan? DrainTimeout { get; init; }
    public string? RedisUrl { get; init; }
    public TimeSpan? KeepAliveInterval { get; init; }
    public TimeSpan? KeepAliveTimeout { get; init; }
    public string? WebSocketPath { get; init; }

    /// <summary>More command-line arguments, appended last (they win over the ones above).</summary>
    public IReadOnlyList<string> ExtraArguments { get; init; } = [];

    /// <summary>Environment variables for the process (e.g. WSPOOL_* to test the operator's contract).</summary>
    public IReadOnlyDictionary<string, string>? Environment { get; init; }

    /// <summary>How long to wait for /healthz to answer.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(30);
}
