using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace WsPool.Testing;

/// <summary>
/// A real chat-server process (examples/chat-server) on a loopback address, for tests and benchmarks. It is started
/// with <c>dotnet chat-server.dll</c> from next to the calling assembly (projects that reference ChatServer.csproj get
/// it copied there) and disposing kills it. Set <c>WSPOOL_CHAT_SERVER_DLL</c> to run another build.
/// </summary>
public sealed class ChatServerProcess : IAsyncDisposable
{
    private static readonly HttpClient Http = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromSeconds(5) })
    {
        Timeout = TimeSpan.FromSeconds(30),
    };

    private ChatServerProcess(ManagedProcess process, ChatServerOptions options, int port, int adminPort, string replicaName, string path)
    {
        WebSocketPath = path;
        Process = process;
        Options = options;
        Port = port;
        AdminPort = adminPort;
        ReplicaName = replicaName;
    }

    public ManagedProcess Process { get; }
    public ChatServerOptions Options { get; }
    public string Address => Options.Address;
    public int Port { get; }
    public int AdminPort { get; }
    public string ReplicaName { get; }

    /// <summary>host:port as /whoami reports it.</summary>
    public string Endpoint => $"{Address}:{Port}";

    public Uri BaseUri => new($"http://{Address}:{Port}/");
    public string WebSocketPath { get; }
    public Uri WebSocketUri => new($"ws://{Address}:{Port}{WebSocketPath}");
    public Uri AdminUri => new($"http://{Address}:{AdminPort}/");
    public string Output => Process.Output;
    public bool HasExited => Process.HasExited;
    public int ExitCode => Process.ExitCode;

    /// <summary>
    /// Starts the server and waits until GET /healthz answers. When the ports are chosen here and another process
    /// takes one between the choice and the bind (ports are shared with every client socket on the machine), it
    /// retries with fresh ports.
    /// </summary>
    public static async Task<ChatServerProcess> StartAsync(ChatServerOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new ChatServerOptions();
        var portsAreOurs = options.Port is null && options.AdminPort is null && options.Environment?.ContainsKey("WSPOOL_ADMIN_PORT") != true;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await StartOnceAsync(options, cancellationToken);
            }
            catch (PortTakenException) when (portsAreOurs && attempt < 5)
            {
                // pick new ports and try again
            }
        }
    }

    private static async Task<ChatServerProcess> StartOnceAsync(ChatServerOptions options, CancellationToken cancellationToken)
    {
        var address = IPAddress.Parse(options.Address);
        var port = options.Port ?? FreePort.Next(address);
        var given = options.Environment ?? new Dictionary<string, string>();
        // Settings a test passes as WSPOOL_* variables are left to the server to read (the operator's contract).
        var adminFromEnvironment = given.TryGetValue("WSPOOL_ADMIN_PORT", out var adminText) ? int.Parse(adminText, CultureInfo.InvariantCulture) : (int?)null;
        var nameFromEnvironment = given.TryGetValue("WSPOOL_POD_NAME", out var podName) ? podName
            : given.TryGetValue("HOSTNAME", out var hostName) ? hostName : null;
        var adminPort = options.AdminPort ?? adminFromEnvironment ?? NextOtherThan(address, port);
        var replica = options.ReplicaName ?? nameFromEnvironment ?? $"chat-{options.Address}-{port}";

        var arguments = new List<string> { LocateServerDll(), "--urls", $"http://{options.Address}:{port}", "--log-format", "simple" };
        void Add(string option, string? value) { if (value is not null) arguments.AddRange([option, value]); }
        if (options.AdminPort is not null || adminFromEnvironment is null) Add("--admin-port", adminPort.ToString(CultureInfo.InvariantCulture));
        if (options.ReplicaName is not null || nameFromEnvironment is null) Add("--replica-name", replica);
        Add("--connection-limit", options.ConnectionLimit?.ToString(CultureInfo.InvariantCulture));
        Add("--drain-timeout", Milliseconds(options.DrainTimeout));
        Add("--redis-url", options.RedisUrl);
        Add("--keepalive-interval", Milliseconds(options.KeepAliveInterval));
        Add("--keepalive-timeout", Milliseconds(options.KeepAliveTimeout));
        Add("--ws-path", options.WebSocketPath);
        arguments.AddRange(options.ExtraArguments);

        // Nothing from the test runner's own environment may leak into the server's settings.
        var environment = new Dictionary<string, string>
        {
            ["WSPOOL_REDIS_URL"] = "", ["WSPOOL_DRAIN_TIMEOUT"] = "", ["WSPOOL_CONNECTION_LIMIT"] = "", ["WSPOOL_WS_PATH"] = "",
            ["WSPOOL_POD_NAME"] = "", ["WSPOOL_ADMIN_PORT"] = "", ["ASPNETCORE_URLS"] = "", ["ASPNETCORE_HTTP_PORTS"] = "",
            ["DOTNET_NOLOGO"] = "1",
        };
        foreach (var (key, value) in given) environment[key] = value;

        var process = ManagedProcess.Start(DotnetHost(), arguments, environment);
        var server = new ChatServerProcess(process, options, port, adminPort, replica,
            options.WebSocketPath ?? (given.TryGetValue("WSPOOL_WS_PATH", out var path) && path.Length > 0 ? path : "/ws"));
        try
        {
            await server.WaitUntilHealthyAsync(options.StartTimeout, cancellationToken);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>The built chat-server.dll: next to the running assembly, or where WSPOOL_CHAT_SERVER_DLL points.</summary>
    public static string LocateServerDll()
    {
        var configured = Environment.GetEnvironmentVariable("WSPOOL_CHAT_SERVER_DLL");
        if (!string.IsNullOrEmpty(configured)) return configured;
        var beside = Path.Combine(AppContext.BaseDirectory, "chat-server.dll");
        if (File.Exists(beside) && File.Exists(Path.Combine(AppContext.BaseDirectory, "chat-server.runtimeconfig.json"))) return beside;
        throw new FileNotFoundException(
            $"chat-server.dll is not in {AppContext.BaseDirectory}: reference examples/chat-server/ChatServer.csproj from the test project or set WSPOOL_CHAT_SERVER_DLL");
    }

    /// <summary>The dotnet host that runs this process (the SDK sets DOTNET_HOST_PATH for test runs).</summary>
    public static string DotnetHost()
    {
        var fromSdk = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(fromSdk) && File.Exists(fromSdk)) return fromSdk;
        var self = Environment.ProcessPath;
        if (self is not null && Path.GetFileNameWithoutExtension(self) == "dotnet") return self;
        return "dotnet";
    }

    public Task WaitUntilHealthyAsync(TimeSpan timeout, CancellationToken cancellationToken = default) =>
        Eventually.ValueAsync(async () =>
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (Process.HasExited)
            {
                // Read the output to its end first: whether the port was taken is told by its last lines.
                await Process.WaitForExitAsync(TimeSpan.FromSeconds(5));
                var message = $"chat-server exited with {Process.ExitCode} before it was healthy:\n{Output}";
                throw Output.Contains("address already in use", StringComparison.OrdinalIgnoreCase)
                    ? new PortTakenException(message)
                    : new InvalidOperationException(message);
            }
            try
            {
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(1));
                using var response = await Http.GetAsync(new Uri(BaseUri, "healthz"), cts.Token);
                return response.IsSuccessStatusCode ? null : $"/healthz answered {(int)response.StatusCode}";
            }
            catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
            {
                return $"not listening yet ({e.Message})";
            }
        }, (string? problem) => problem is null, $"chat-server to answer /healthz on {BaseUri}", timeout,
            problem => $"{problem}; output:\n{Output}");

    /// <summary>GET /readyz: 200 when ready, 503 while draining or at the limit.</summary>
    public async Task<HttpStatusCode> ReadinessAsync()
    {
        using var response = await Http.GetAsync(new Uri(BaseUri, "readyz"));
        return response.StatusCode;
    }

    /// <summary>GET /metrics, as the Prometheus text.</summary>
    public Task<string> MetricsTextAsync() => Http.GetStringAsync(new Uri(BaseUri, "metrics"));

    /// <summary>Every sample of GET /metrics by series, e.g. <c>websocket_messages_total{direction="in"}</c>.</summary>
    public async Task<IReadOnlyDictionary<string, double>> MetricsAsync() => PrometheusText.Parse(await MetricsTextAsync());

    /// <summary>One sample of GET /metrics; fails when the series is missing.</summary>
    public async Task<double> MetricAsync(string series)
    {
        var metrics = await MetricsAsync();
        return metrics.TryGetValue(series, out var value)
            ? value
            : throw new KeyNotFoundException($"{series} is not in /metrics of {ReplicaName}");
    }

    /// <summary>
    /// Reads a metric until it satisfies <paramref name="condition"/> and returns that value; fails with the last value
    /// read when it does not in time.
    /// </summary>
    public Task<double> WaitForMetricAsync(string series, Func<double, bool> condition, TimeSpan timeout,
        [CallerArgumentExpression(nameof(condition))] string conditionText = "") =>
        Eventually.ValueAsync(() => MetricAsync(series), condition, $"{series} of {ReplicaName} to satisfy {conditionText}", timeout);

    /// <summary>Reads GET /readyz until it answers <paramref name="wanted"/>; fails with the last answer when it does not in time.</summary>
    public Task<HttpStatusCode> WaitForReadinessAsync(HttpStatusCode wanted, TimeSpan timeout) =>
        Eventually.ValueAsync(ReadinessAsync, status => status == wanted, $"/readyz of {ReplicaName} to answer {(int)wanted} {wanted}", timeout);

    /// <summary>POST /drain on the admin port.</summary>
    public async Task<HttpStatusCode> DrainAsync()
    {
        using var response = await Http.PostAsync(new Uri(AdminUri, "drain"), null);
        return response.StatusCode;
    }

    /// <summary>POST /shed?count=N on the admin port; returns how many connections the server says it closed.</summary>
    public async Task<int> ShedAsync(int count)
    {
        using var response = await Http.PostAsync(new Uri(AdminUri, $"shed?count={count}"), null);
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return body.GetProperty("closed").GetInt32();
    }

    /// <summary>Sends SIGTERM, as Kubernetes does when it deletes the pod.</summary>
    public void Terminate() => Process.Signal(15);

    public Task<bool> WaitForExitAsync(TimeSpan timeout) => Process.WaitForExitAsync(timeout);

    public ValueTask DisposeAsync() => Process.DisposeAsync();

    private static string? Milliseconds(TimeSpan? span) =>
        span is null ? null : $"{(long)span.Value.TotalMilliseconds}ms";

    private static int NextOtherThan(IPAddress address, int port)
    {
        for (var attempt = 0; attempt < 20; attempt++)
        {
            var candidate = FreePort.Next(address);
            if (candidate != port) return candidate;
        }
        throw new InvalidOperationException("no second free port");
    }

    /// <summary>The server could not bind: another process took the port first.</summary>
    private sealed class PortTakenException(string message) : InvalidOperationException(message);
}
