namespace WsPool.KubeEmulator;

/// <summary>How much of kube-controller-manager and the kubelet the emulator plays for Deployments.</summary>
public enum WorkloadSimulation
{
    /// <summary>
    /// A Deployment's status reports every replica ready and available; no ReplicaSets or Pods are created. Tests
    /// that make their own Pod objects rely on no other Pods appearing.
    /// </summary>
    StatusOnly,

    /// <summary>
    /// Deployments own ReplicaSets and roll them out (RollingUpdate with maxSurge/maxUnavailable, Recreate),
    /// ReplicaSets own Pods bound to the one node, a stand-in kubelet runs those Pods (optional), and every Service
    /// with a selector gets EndpointSlices.
    /// </summary>
    ReplicaSetsAndPods,
}
