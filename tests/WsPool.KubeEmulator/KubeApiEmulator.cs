namespace WsPool.KubeEmulator;

/// <summary>The in-process Kubernetes API emulator (built by the operator issue).</summary>
public sealed class KubeApiEmulator
{
}
