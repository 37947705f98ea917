using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using k8s;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WsPool.KubeEmulator.Controllers;
using WsPool.KubeEmulator.Faults;
using WsPool.KubeEmulator.Http;
using WsPool.KubeEmulator.Recording;
using WsPool.KubeEmulator.Registry;
using WsPool.KubeEmulator.Resources;
using WsPool.KubeEmulator.Storage;
using WsPool.KubeEmulator.Watch;

namespace WsPool.KubeEmulator;

/// <summary>
/// An in-process Kubernetes API server emulator on 127.0.0.1 (random port) that the real, unmodified
/// KubernetesClient (or kubectl, or an operator process given <see cref="WriteKubeconfig"/>) talks to over HTTP.
/// <code>
/// await using var api = await KubeApiEmulator.StartAsync();
/// var client = api.CreateClient();
/// </code>
/// </summary>
public sealed class KubeApiEmulator : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly CancellationTokenSource _stopping;

    private readonly WorkloadSettings _workloads;

    private KubeApiEmulator(WebApplication app, CancellationTokenSource stopping, string url, FaultSettings faults,
        RequestLog requests, EmulatorStore store, ResourceCatalog catalog, ControllerActivity activity, WorkloadSettings workloads,
        GarbageCollector gc, DeploymentController deployments, ReplicaSetController replicaSets, StandInKubelet kubelet,
        EndpointSliceController endpointSlices)
    {
        _app = app;
        _stopping = stopping;
        Url = url;
        Faults = faults;
        Requests = requests;
        Store = store;
        Resources = catalog;
        Activity = activity;
        _workloads = workloads;
        GarbageCollector = gc;
        Deployments = deployments;
        ReplicaSets = replicaSets;
        Kubelet = kubelet;
        EndpointSlices = endpointSlices;
    }

    /// <summary>The base URL, e.g. http://127.0.0.1:41234.</summary>
    public string Url { get; }

    /// <summary>Fault injection, switchable while running.</summary>
    public FaultSettings Faults { get; }

    /// <summary>Every request answered (verb, group, version, resource, subresource, namespace, name, code, user agent, field manager).</summary>
    public RequestLog Requests { get; }

    /// <summary>Direct object access for setup and assertions (bypasses HTTP and faults).</summary>
    public EmulatorStore Store { get; }

    /// <summary>The served resources (built-ins plus registered custom resources).</summary>
    public ResourceCatalog Resources { get; }

    public GarbageCollector GarbageCollector { get; }

    /// <summary>The Deployment controller (status only, or rollouts of ReplicaSets); <c>Enabled = false</c> keeps Deployments as they are.</summary>
    public DeploymentController Deployments { get; }

    /// <summary>The ReplicaSet controller (pods from templates, scale-down order); acts only while workloads are simulated.</summary>
    public ReplicaSetController ReplicaSets { get; }

    /// <summary>The stand-in kubelet of the one node (pod IPs, Running/Ready, confirmed deletion); acts only while workloads are simulated.</summary>
    public StandInKubelet Kubelet { get; }

    /// <summary>The EndpointSlice controller; acts only while workloads are simulated.</summary>
    public EndpointSliceController EndpointSlices { get; }

    /// <summary>Work queued or running in any background controller.</summary>
    public ControllerActivity Activity { get; }

    /// <summary>
    /// What Deployments do (<see cref="EmulatorOptions.Workloads"/>). Switching to
    /// <see cref="WorkloadSimulation.ReplicaSetsAndPods"/> while running looks at every Deployment, ReplicaSet, pod
    /// and Service; switching back leaves the ReplicaSets and Pods that exist.
    /// </summary>
    public WorkloadSimulation Workloads
    {
        get => _workloads.Mode;
        set
        {
            var resume = value == WorkloadSimulation.ReplicaSetsAndPods && !_workloads.Simulated;
            _workloads.Mode = value;
            if (!resume) return;
            Deployments.Resync();
            ReplicaSets.Resync();
            Kubelet.Resync();
            EndpointSlices.Resync();
        }
    }

    public static async Task<KubeApiEmulator> StartAsync(EmulatorOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new EmulatorOptions();
        var catalog = new ResourceCatalog(BuiltInResources.All
            .Where(t => !options.OmitResources.Contains($"{t.Plural}.{t.Group}".TrimEnd('.')))
            .Concat(options.ExtraResources));
        var store = new ObjectStore(options.WatchHistoryPerResource);
        var workloads = new WorkloadSettings(options.Workloads, options.NodeName);
        var registry = new ObjectRegistry(store, catalog, options.Time, options.Seed) { Workloads = workloads };
        var faults = options.Faults ?? new FaultSettings(options.Seed);
        var requests = new RequestLog();
        var activity = new ControllerActivity();
        var gc = new GarbageCollector(registry, activity);
        var deployments = new DeploymentController(registry, options.SimulateDeployments, options.DeploymentReadyDelay, options.Time, workloads, activity);
        var replicaSets = new ReplicaSetController(registry, options.Time, workloads, activity);
        var kubelet = new StandInKubelet(registry, options.Time, workloads, options.SimulateKubelet, options.PodReadyDelay, options.PodStopDelay, activity);
        var endpointSlices = new EndpointSliceController(registry, workloads, activity);

        foreach (var ns in options.Namespaces)
            registry.Create(BuiltInResources.Namespaces, null,
                new JsonObject { ["metadata"] = new JsonObject { ["name"] = ns } }, WriteOptions.Internal("kube-apiserver"));

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, 0);
            k.Limits.MaxRequestBodySize = 3 * 1024 * 1024;
            k.Limits.MinResponseDataRate = null;
        });
        var app = builder.Build();
        var stopping = new CancellationTokenSource();
        string address = "";
        var handler = new ApiHandler(registry, catalog, faults, requests, new WatchStreamer(store, options), options,
            () => address, stopping.Token);
        app.Run(handler.HandleAsync);
        await app.StartAsync(cancellationToken);
        var url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        url = url.Replace("[::1]", "127.0.0.1").Replace("localhost", "127.0.0.1").TrimEnd('/');
        address = new Uri(url).Authority;
        gc.Start();
        deployments.Start();
        replicaSets.Start();
        kubelet.Start();
        endpointSlices.Start();
        return new KubeApiEmulator(app, stopping, url, faults, requests, new EmulatorStore(registry), catalog, activity, workloads,
            gc, deployments, replicaSets, kubelet, endpointSlices);
    }

    /// <summary>Client settings pointing at the emulator.</summary>
    public KubernetesClientConfiguration ClientConfiguration => new() { Host = Url };

    /// <summary>A KubernetesClient for the emulator; <paramref name="userAgent"/> sets the User-Agent header.</summary>
    public Kubernetes CreateClient(string? userAgent = null) =>
        userAgent is null ? new Kubernetes(ClientConfiguration) : new Kubernetes(ClientConfiguration, new UserAgentHandler(userAgent));

    /// <summary>
    /// A kubeconfig for processes (kubectl, the operator) that should talk to the emulator. The user has a token the
    /// emulator ignores: KubernetesClient refuses a kubeconfig user without any credentials.
    /// </summary>
    public string KubeconfigYaml => $"""
        apiVersion: v1
        kind: Config
        clusters:
        - name: wspool-emulator
          cluster:
            server: {Url}
        users:
        - name: wspool-emulator
          user: {"{token: wspool-emulator}"}
        contexts:
        - name: wspool-emulator
          context:
            cluster: wspool-emulator
            user: wspool-emulator
            namespace: default
        current-context: wspool-emulator

        """;

    public void WriteKubeconfig(string path) => File.WriteAllText(path, KubeconfigYaml);

    /// <summary>
    /// Waits (bounded) until every background controller has nothing queued; throws a <see cref="TimeoutException"/>
    /// naming what was still queued. Work scheduled for later (a delay, minReadySeconds, a grace period) is not
    /// queued until its time comes.
    /// </summary>
    public async Task WaitForControllersIdleAsync(TimeSpan? timeout = null)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)((timeout ?? TimeSpan.FromSeconds(10)).TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            if (Activity.Pending == 0) return;
            if (Stopwatch.GetTimestamp() >= deadline)
                throw new TimeoutException("timed out waiting for the emulator's controllers to have nothing queued: "
                    + $"{GarbageCollector.Pending} queued for the garbage collector, {Deployments.Pending} for the Deployment controller, "
                    + $"{ReplicaSets.Pending} for the ReplicaSet controller, {Kubelet.Pending} for the kubelet, "
                    + $"{EndpointSlices.Pending} for the EndpointSlice controller");
            await Task.Delay(TimeSpan.FromMilliseconds(5));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await _app.StopAsync(timeout.Token);
        }
        catch (OperationCanceledException) { }
        await GarbageCollector.DisposeAsync();
        await Deployments.DisposeAsync();
        await ReplicaSets.DisposeAsync();
        await Kubelet.DisposeAsync();
        await EndpointSlices.DisposeAsync();
        await _app.DisposeAsync();
        _stopping.Dispose();
    }

    private sealed class UserAgentHandler(string userAgent) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.Headers.UserAgent.Clear();
            request.Headers.TryAddWithoutValidation("User-Agent", userAgent);
            return base.SendAsync(request, cancellationToken);
        }
    }
}
