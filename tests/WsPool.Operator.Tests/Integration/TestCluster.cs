using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using WsPool.Core.Api;
using WsPool.KubeEmulator;
using WsPool.KubeEmulator.Recording;
using WsPool.Operator.Hosting;
using WsPool.Testing;

namespace WsPool.Operator.Tests.Integration;

/// <summary>
/// An API emulator with the WebSocketPool CRD installed, plus helpers to run real operator hosts against it and to
/// wait (bounded) for what they should achieve.
/// </summary>
public sealed class TestCluster : IAsyncDisposable
{
    public static readonly string[] Namespaces = ["default", "chat", "games", "markets", "gateway-system", "kube-system"];

    private readonly List<RunningOperator> _operators = [];

    private TestCluster(KubeApiEmulator api)
    {
        Api = api;
        Client = api.CreateClient("wspool-tests");
    }

    public KubeApiEmulator Api { get; }

    /// <summary>The operator hosts started on this cluster, in start order.</summary>
    public IReadOnlyList<RunningOperator> Operators => _operators;

    /// <summary>The test's own client (its requests are not the operator's: different user agent).</summary>
    public k8s.Kubernetes Client { get; }

    /// <summary>The WebSocketPool CRD's name.</summary>
    public const string PoolCrd = "websocketpools.wspool.dev";

    /// <param name="omitResources">Built-ins the cluster lacks until their CRD is created (EmulatorOptions.OmitResources).</param>
    public static async Task<TestCluster> StartAsync(int seed = 1, IReadOnlyList<string>? omitResources = null)
    {
        var api = await KubeApiEmulator.StartAsync(new EmulatorOptions
        {
            Namespaces = Namespaces,
            Seed = seed,
            BookmarkInterval = TimeSpan.FromSeconds(2),
            OmitResources = omitResources ?? [],
        });
        api.Store.ApplyYaml(File.ReadAllText(Repo.Path("crds/websocketpools.wspool.dev.yaml")));
        return new TestCluster(api);
    }

    /// <summary>Options for an in-process operator: random ports, short timings, no process exit on lease loss.</summary>
    public static OperatorOptions TestOptions(string identity = "op-1") => new()
    {
        BindAddress = "127.0.0.1",
        HealthPort = 0,
        MetricsPort = 0,
        LeaderElection = false,
        ExitOnLeadershipLoss = false,
        Identity = identity,
        LeaseNamespace = "kube-system",
        LeaseDuration = TimeSpan.FromSeconds(3),
        RenewDeadline = TimeSpan.FromSeconds(2),
        RetryPeriod = TimeSpan.FromMilliseconds(500),
        Workers = 4,
        WatchTimeout = TimeSpan.FromSeconds(20),
        WatchStallGrace = TimeSpan.FromSeconds(5),
        ResyncPeriod = TimeSpan.FromMinutes(10),
    };

    public async Task<RunningOperator> StartOperatorAsync(OperatorOptions? options = null)
    {
        options ??= TestOptions();
        var app = OperatorHost.Build([], options, Api.ClientConfiguration, logging: l =>
        {
            if (Environment.GetEnvironmentVariable("WSPOOL_TEST_LOGS") == "1") l.AddSimpleConsole(o => o.TimestampFormat = "HH:mm:ss.fff ");
            else l.SetMinimumLevel(LogLevel.None);
        });
        await app.StartAsync();
        var running = new RunningOperator(app, options);
        _operators.Add(running);
        return running;
    }

    public async Task<WebSocketPool> CreatePoolAsync(WebSocketPool pool)
    {
        var created = await Client.CustomObjects.CreateNamespacedCustomObjectAsync<WebSocketPool>(pool, WebSocketPool.Group,
            WebSocketPool.Version, pool.Metadata.NamespaceProperty, WebSocketPool.Plural);
        return created;
    }

    public WebSocketPool? GetPool(string ns, string name) => Api.Store.Get<WebSocketPool>(ns, name);

    /// <summary>Edits the spec directly in the store (no HTTP, so injected faults cannot lose the edit).</summary>
    public WebSocketPool EditPool(string ns, string name, Action<WebSocketPool> edit)
    {
        var pool = GetPool(ns, name) ?? throw new InvalidOperationException($"no pool {ns}/{name}");
        edit(pool);
        pool.Status = null;
        return Api.Store.Upsert(pool);
    }

    public static WebSocketPool LoadExample(string relativePath) =>
        KubernetesYaml.Deserialize<WebSocketPool>(File.ReadAllText(Repo.Path(relativePath)), strict: true);

    public static bool IsReady(WebSocketPool? pool) =>
        pool?.Status?.Conditions?.FirstOrDefault(c => c.Type == "Ready") is { Status: "True" } ready
        && ready.ObservedGeneration == pool.Metadata.Generation
        && pool.Status.ObservedGeneration == pool.Metadata.Generation;

    public static V1Condition? Condition(WebSocketPool? pool, string type) =>
        pool?.Status?.Conditions?.FirstOrDefault(c => c.Type == type);

    /// <summary>Every object of the owned kinds in the namespace whose controller is the pool.</summary>
    public IReadOnlyList<JsonObject> OwnedBy(WebSocketPool pool)
    {
        var result = new List<JsonObject>();
        foreach (var (apiVersion, kind) in OwnedKindNames)
        {
            if (Api.Resources.FindByKind(apiVersion, kind) is not { } type) continue; // not served: a CRD not installed
            foreach (var obj in Api.Store.ListJson(type, pool.Metadata.NamespaceProperty))
            {
                var owners = obj["metadata"]?["ownerReferences"] as JsonArray;
                if (owners?.OfType<JsonObject>().Any(o => (string?)o["uid"] == pool.Metadata.Uid && (bool?)o["controller"] == true) == true)
                    result.Add(obj);
            }
        }
        return result;
    }

    public static readonly (string ApiVersion, string Kind)[] OwnedKindNames =
    [
        ("apps/v1", "Deployment"), ("v1", "Service"), ("v1", "ConfigMap"), ("v1", "Secret"),
        ("policy/v1", "PodDisruptionBudget"), ("networking.k8s.io/v1", "Ingress"),
        ("gateway.networking.k8s.io/v1", "HTTPRoute"),
    ];

    /// <summary>events.k8s.io Events about the pool.</summary>
    public IReadOnlyList<Eventsv1Event> EventsFor(WebSocketPool pool) =>
        Api.Store.List<Eventsv1Event>(pool.Metadata.NamespaceProperty)
            .Where(e => e.Regarding?.Uid == pool.Metadata.Uid)
            .ToList();

    /// <summary>Requests made by operator instances (not by the test).</summary>
    public IReadOnlyList<RecordedRequest> OperatorRequests(string? identity = null) =>
        Api.Requests.Where(r => r.UserAgent?.StartsWith(UserAgentHandler.Product, StringComparison.Ordinal) == true
                                && (identity is null || r.UserAgent.Contains($"({identity})", StringComparison.Ordinal)));

    /// <summary>Reads the pool until <paramref name="until"/> holds; a timeout shows its last status.</summary>
    public Task<WebSocketPool?> WaitForPoolAsync(string ns, string name, Func<WebSocketPool?, bool> until, string what,
        TimeSpan? timeout = null) =>
        Eventually.ValueAsync(() => GetPool(ns, name), until, $"{ns}/{name}: {what}", timeout, DescribeStatus);

    /// <summary>Waits until the pool is Ready at its current generation and returns it.</summary>
    public async Task<WebSocketPool> WaitForReadyAsync(string ns, string name, TimeSpan? timeout = null) =>
        (await WaitForPoolAsync(ns, name, IsReady, "Ready at its generation", timeout))!;

    /// <summary>Waits until every pool is Ready at its current generation; a timeout shows each pool's status.</summary>
    public Task WaitForAllReadyAsync(TimeSpan? timeout = null) =>
        Eventually.ValueAsync(() => Api.Store.List<WebSocketPool>(), pools => pools.All(IsReady), "every pool Ready at its generation",
            timeout, pools => string.Join("\n", pools.Select(p => $"{p.Metadata.NamespaceProperty}/{p.Metadata.Name}: {DescribeStatus(p)}")));

    /// <summary>Reads the events about the pool until <paramref name="until"/> holds; a timeout lists them.</summary>
    public Task<IReadOnlyList<Eventsv1Event>> WaitForEventsAsync(WebSocketPool pool, Func<IReadOnlyList<Eventsv1Event>, bool> until,
        string what, TimeSpan? timeout = null) =>
        Eventually.ValueAsync(() => EventsFor(pool), until, $"{pool.Metadata.NamespaceProperty}/{pool.Metadata.Name}: {what}", timeout,
            events => events.Count == 0 ? "no events" : string.Join("; ", events.Select(e => $"{e.Type} {e.Reason}: {e.Note}")));

    /// <summary>The pool's generation and status in one line, for failure messages.</summary>
    public static string DescribeStatus(WebSocketPool? pool) =>
        pool is null ? "no such pool"
        : pool.Status is not { } status ? $"generation {pool.Metadata.Generation}, no status"
        : $"generation {pool.Metadata.Generation}, observedGeneration {status.ObservedGeneration}, "
          + $"replicas {status.ReadyReplicas}/{status.DesiredReplicas} ready, connections {status.Connections?.Total}; "
          + string.Join("; ", (status.Conditions ?? []).Select(c =>
              $"{c.Type}={c.Status} ({c.Reason}, observedGeneration {c.ObservedGeneration}): {c.Message}"));

    public async ValueTask DisposeAsync()
    {
        foreach (var op in _operators) await op.DisposeAsync();
        Client.Dispose();
        await Api.DisposeAsync();
    }
}

/// <summary>An operator host running in the test process.</summary>
public sealed class RunningOperator(WebApplication app, OperatorOptions options) : IAsyncDisposable
{
    private bool _stopped;

    public OperatorOptions Options => options;
    public OperatorService Service => app.Services.GetRequiredService<OperatorService>();
    public ControllerManager Manager => app.Services.GetRequiredService<ControllerManager>();
    public IServiceProvider Services => app.Services;

    public IReadOnlyList<string> Urls =>
        app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.ToList();

    public async Task StopAsync()
    {
        if (_stopped) return;
        _stopped = true;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await app.StopAsync(timeout.Token);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await app.DisposeAsync();
    }
}

/// <summary>Finds files of the repository from the test's output directory.</summary>
public static class Repo
{
    public static string Path(string relative) => Repository.Path(relative);
}
