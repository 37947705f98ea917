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
    /// What Deployments do: <see cref="WorkloadSimulation.StatusOnly"/> (the default: status reports every replica
    /// ready, no Pods exist unless a test makes them) or <see cref="WorkloadSimulation.ReplicaSetsAndPods"/>
    /// (ReplicaSets, Pods on <see cref="NodeName"/>, rolling updates, graceful pod deletion, EndpointSlices).
    /// Switchable at runtime through <see cref="KubeApiEmulator.Workloads"/>.
    /// </summary>
    public WorkloadSimulation Workloads { get; init; } = WorkloadSimulation.StatusOnly;

    /// <summary>The one node simulated pods are bound to (<c>spec.nodeName</c>).</summary>
    public string NodeName { get; init; } = "local";

    /// <summary>
    /// With simulated workloads, a stand-in kubelet starts the node's pods (Running, Ready, a 127.0.0.x IP) and
    /// confirms their graceful deletion. Off, a process runner plays the kubelet: it writes the pods' status and
    /// deletes them with gracePeriodSeconds=0 once they stopped. Switchable at runtime through
    /// <see cref="KubeApiEmulator.Kubelet"/>.
    /// </summary>
    public bool SimulateKubelet { get; init; } = true;

    /// <summary>Stand-in kubelet: how long a new pod stays Pending before it is Running and Ready.</summary>
    public TimeSpan PodReadyDelay { get; init; } = TimeSpan.Zero;

    /// <summary>
    /// Stand-in kubelet: how long a deleted pod's containers take to stop, after which the pod is removed; never
    /// longer than the pod's grace period. Zero: at once.
    /// </summary>
    public TimeSpan PodStopDelay { get; init; } = TimeSpan.Zero;

    /// <summary>
    /// Built-in resources not to serve, by CRD-style name (<c>plural.group</c>, e.g.
    /// <c>httproutes.gateway.networking.k8s.io</c>): a cluster without that CRD. Creating the CRD serves it.
    /// </summary>
    public IReadOnlyList<string> OmitResources { get; init; } = [];

    /// <summary>Resources served in addition to the built-ins (custom resources also come from CRD objects).</summary>
    public IReadOnlyList<ResourceType> ExtraResources { get; init; } = [];

    /// <summary>Initial fault rules (none by default). The same object is <see cref="KubeApiEmulator.Faults"/>.</summary>
    public FaultSettings? Faults { get; init; }

    /// <summary>The clock for timestamps and for the workload controllers' waits (minReadySeconds, grace periods, delays).</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Reported by /version.</summary>
    public string KubernetesVersion { get; init; } = "1.36";
}
