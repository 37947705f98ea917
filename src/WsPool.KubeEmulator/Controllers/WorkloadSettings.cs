namespace WsPool.KubeEmulator.Controllers;

/// <summary>
/// What the workload controllers and the registry share: whether workloads are simulated (switchable while the
/// emulator runs, so every commit hook reads it) and the name of the one node pods are bound to.
/// </summary>
internal sealed class WorkloadSettings(WorkloadSimulation mode, string nodeName)
{
    private volatile bool _simulated = mode == WorkloadSimulation.ReplicaSetsAndPods;

    public bool Simulated => _simulated;

    public WorkloadSimulation Mode
    {
        get => _simulated ? WorkloadSimulation.ReplicaSetsAndPods : WorkloadSimulation.StatusOnly;
        set => _simulated = value == WorkloadSimulation.ReplicaSetsAndPods;
    }

    public string NodeName { get; } = nodeName;
}
