using WsPool.KubeEmulator.Faults;
using WsPool.KubeEmulator.Resources;

namespace WsPool.KubeEmulator;

/// <summary>How to start a <see cref="KubeApiEmulator"/>. Every setting has a working default.</summary>
public sealed class EmulatorOptions
{
    /// <summary>Seeds every random choice (generated names, fault draws).</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Events kept per resource for watches that resume from a resourceVersion (older ones get 410).</summary>
    public int WatchHistoryPerResource { get; init; } = 10_000;

    /// <summary>How often a watch with allowWatchBookmarks=true gets a BOOKMARK when nothing else happens.</summary>
    public TimeSpan BookmarkInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Watches without timeoutSeconds end after this (the API server's request timeout).</summary>
    public TimeSpan MaxWatchTimeout { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>Namespaces that exist at start (namespaced objects need their namespace, as in a cluster).</summary>
    public IReadOnlyList<string> Namespaces { get; init; } = ["default", "kube-system", "kube-public", "kube-node-lease"];

    /// <summary>
    /// Plays the Deployment controller: a Deployment's status follows its spec (observedGeneration, replicas all
    /// ready, Available/Progressing conditions) after <see cref="DeploymentReadyDelay"/>. Switchable at runtime
    /// through <see cref="KubeApiEmulator.Deployments"/>.
    /// </summary>
    public bool SimulateDeployments { get; init; } = true;

    public TimeSpan DeploymentReadyDelay { get; init; } = TimeSpan.Zero;

    /// <summary>
    /// Built-in resources not to serve, by CRD-style name (<c>plural.group</c>, e.g.
    /// <c>httproutes.gateway.networking.k8s.io</c>): a cluster without that CRD. Creating the CRD serves it.
    /// </summary>
    public IReadOnlyList<string> OmitResources { get; init; } = [];

    /// <summary>Resources served in addition to the built-ins (custom resources also come from CRD objects).</summary>
    public IReadOnlyList<ResourceType> ExtraResources { get; init; } = [];

    /// <summary>Initial fault rules (none by default). The same object is <see cref="KubeApiEmulator.Faults"/>.</summary>
    public FaultSettings? Faults { get; init; }

    /// <summary>The clock for timestamps.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Reported by /version.</summary>
    public string KubernetesVersion { get; init; } = "1.36";
}
