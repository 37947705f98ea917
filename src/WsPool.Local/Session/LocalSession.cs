using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;
using WsPool.Core.Api;
using WsPool.Core.Crd;
using WsPool.KubeEmulator;
using WsPool.Local.Dns;
using WsPool.Local.Node;
using WsPool.Operator.Hosting;

namespace WsPool.Local.Session;

/// <summary>
/// One `wspool local up`: the embedded API, the cluster DNS, the real operator and the node, started in that order
/// and stopped in the reverse one. The operator is the shipped assembly with its ordinary options; nothing in it
/// knows it runs locally (the DNS server it hands to HAProxy is its --balancer-resolver option).
/// </summary>
public sealed class LocalSession : IAsyncDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Func<ValueTask>> _stops = [];
    private Task _nodeRun = Task.CompletedTask;

    private LocalSession(LocalOptions options, IReadOnlyList<WebSocketPool> pools)
    {
        Options = options;
        Pools = pools;
    }

    public LocalOptions Options { get; }
    public IReadOnlyList<WebSocketPool> Pools { get; }
    public KubeApiEmulator Api { get; private set; } = null!;
    public IKubernetes Client { get; private set; } = null!;
    public LocalDns Dns { get; private set; } = null!;
    public LocalNode Node { get; private set; } = null!;
    public string Kubeconfig => Path.Combine(Options.StateDirectory, "kubeconfig");
    public string LogFile => Path.Combine(Options.StateDirectory, "session.log");

    /// <summary>Self-signed certificates the session created for TLS Secrets nobody provided ("ns/name").</summary>
    public IReadOnlyList<string> SelfSignedSecrets { get; private set; } = [];

    /// <summary>How often the pool's balancer pods reloaded their configuration since the session started.</summary>
    public int BalancerReloads(Core.Rendering.PoolNames pool)
    {
        // The balancer Deployment's pods are named after it: <pool>-balancer-<template hash>-<suffix>.
        var prefix = pool.Balancer + "-";
        return Node.Pods.Where(p => p.Namespace == pool.Namespace && p.Name.StartsWith(prefix, StringComparison.Ordinal)).Sum(p => p.Reloads);
    }

    /// <summary>
    /// Changes a running pool as `kubectl patch websocketpool --type merge -p JSON` would (a new pod template, other
    /// replica bounds): <paramref name="mergePatchJson"/> is an RFC 7386 JSON merge patch of the pool object. The
    /// operator sees the change through its watch like any other edit; the API's validation applies.
    /// </summary>
    public async Task PatchPoolAsync(WebSocketPool pool, string mergePatchJson, CancellationToken cancellationToken)
    {
        using var patch = System.Text.Json.JsonDocument.Parse(mergePatchJson);
        await Client.CustomObjects.PatchNamespacedCustomObjectAsync(new V1Patch(patch.RootElement.Clone(), V1Patch.PatchType.MergePatch),
            "wspool.dev", "v1alpha1", pool.Metadata.NamespaceProperty ?? "default", "websocketpools", pool.Metadata.Name,
            cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Starts everything and applies the pools. Call <see cref="Preflight.Check"/> first: this assumes the tools and
    /// ports are there. Whatever started before a failure is stopped again before the exception leaves.
    /// </summary>
    public static async Task<LocalSession> StartAsync(LocalOptions options, IReadOnlyList<WebSocketPool> pools,
        CancellationToken cancellationToken)
    {
        var session = new LocalSession(options, pools);
        try
        {
            await session.StartPartsAsync(cancellationToken).ConfigureAwait(false);
            return session;
        }
        catch
        {
            await session.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task StartPartsAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Options.StateDirectory);
        var logs = new FileLoggerProvider(LogFile);
        _stops.Add(() => { logs.Dispose(); return ValueTask.CompletedTask; });
        var loggers = LoggerFactory.Create(b => b.AddProvider(logs));
        _stops.Add(() => { loggers.Dispose(); return ValueTask.CompletedTask; });

        Api = await KubeApiEmulator.StartAsync(new EmulatorOptions
        {
            Workloads = WorkloadSimulation.ReplicaSetsAndPods,
            SimulateKubelet = false,
            NodeName = new LocalNodeOptions().NodeName,
        }, cancellationToken).ConfigureAwait(false);
        _stops.Add(() => Api.DisposeAsync());
        Api.WriteKubeconfig(Kubeconfig);
        Client = Api.CreateClient("wspool-local");
        // The CRD first, as `kubectl apply -k crds/` comes before the operator: it watches pools from its start.
        Api.Store.ApplyYaml(CrdGenerator.ToYaml());

        Dns = await LocalDns.StartAsync(Client, new LocalDnsOptions { StateDirectory = Path.Combine(Options.StateDirectory, "dns") },
            loggers.CreateLogger("WsPool.Local.Dns"), cancellationToken).ConfigureAwait(false);
        _stops.Add(() => Dns.DisposeAsync());

        Node = new LocalNode(Client, new LocalNodeOptions
        {
            StateDirectory = Path.Combine(Options.StateDirectory, "pods"),
            Run = Options.Run.Select(r => $"{r.Key}={r.Value}").ToList(),
            ResolveServiceName = name => Dns.Records.AddressesOf(name).FirstOrDefault()?.ToString(),
        }, loggers.CreateLogger("WsPool.Local.Node"));
        _stops.Add(() => Node.DisposeAsync());
        _nodeRun = Node.RunAsync(_stopping.Token);

        var operatorHost = OperatorHost.Build([], new OperatorOptions
        {
            BindAddress = IPAddress.Loopback.ToString(),
            HealthPort = 0,
            MetricsPort = 0,
            LeaderElection = false,
            ExitOnLeadershipLoss = false,
            LeaseNamespace = "default",
            BalancerResolver = Dns.Address,
        }, Api.ClientConfiguration, logging => logging.ClearProviders().AddProvider(logs));
        await operatorHost.StartAsync(cancellationToken).ConfigureAwait(false);
        _stops.Add(() => StopOperatorAsync(operatorHost));

        await ApplyAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The pools' namespaces, TLS Secrets nobody provides, then the pools, as `kubectl apply` would.</summary>
    private async Task ApplyAsync(CancellationToken cancellationToken)
    {
        var created = new List<string>();
        foreach (var pool in Pools)
        {
            var ns = pool.Metadata.NamespaceProperty ??= "default";
            await CreateIfMissingAsync(() => Client.CoreV1.CreateNamespaceAsync(
                new V1Namespace { Metadata = new V1ObjectMeta { Name = ns } }, cancellationToken: cancellationToken)).ConfigureAwait(false);
            if (pool.Spec.Balancer.Tls?.SecretName is { } secret && !await ExistsAsync(ns, secret, cancellationToken).ConfigureAwait(false))
            {
                await Client.CoreV1.CreateNamespacedSecretAsync(SelfSignedTls.Secret(ns, secret, [$"{pool.Metadata.Name}.{ns}.svc"]), ns,
                    cancellationToken: cancellationToken).ConfigureAwait(false);
                created.Add($"{ns}/{secret}");
            }
            pool.ApiVersion = "wspool.dev/v1alpha1";
            pool.Kind = "WebSocketPool";
            await Client.CustomObjects.CreateNamespacedCustomObjectAsync(pool, "wspool.dev", "v1alpha1", ns, "websocketpools",
                cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        SelfSignedSecrets = created;
    }

    private async Task<bool> ExistsAsync(string ns, string secret, CancellationToken cancellationToken)
    {
        try
        {
            await Client.CoreV1.ReadNamespacedSecretAsync(secret, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    private static async Task CreateIfMissingAsync(Func<Task> create)
    {
        try { await create().ConfigureAwait(false); }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Conflict) { }
    }

    private static async ValueTask StopOperatorAsync(WebApplication host)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        try { await host.StopAsync(timeout.Token).ConfigureAwait(false); }
        catch (OperationCanceledException) { }
        await host.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Stops what started, newest first: the operator, the node's processes, the DNS, the API.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        try { await _nodeRun.ConfigureAwait(false); }
        catch (OperationCanceledException) { }
        for (var i = _stops.Count - 1; i >= 0; i--)
        {
            try { await _stops[i]().ConfigureAwait(false); }
            catch (Exception e) when (e is not OutOfMemoryException) { Console.Error.WriteLine($"wspool local: stopping: {e.Message}"); }
        }
        _stops.Clear();
        _stopping.Dispose();
    }
}
