using k8s.Models;
using WsPool.Core.Api;

namespace WsPool.Core.Rendering;

/// <summary>
/// The backend PodDisruptionBudget: voluntary evictions (node drains, cluster upgrades) take one backend pod at a
/// time, so only one pod's clients reconnect at once and the rest of the pool absorbs them.
/// </summary>
public static class DisruptionBudgetRenderer
{
    public static V1PodDisruptionBudget Render(WebSocketPool pool)
    {
        var names = PoolNames.Of(pool);
        return new V1PodDisruptionBudget
        {
            ApiVersion = "policy/v1",
            Kind = V1PodDisruptionBudget.KubeKind,
            Metadata = new V1ObjectMeta
            {
                Name = names.PodDisruptionBudget,
                NamespaceProperty = names.Namespace,
                Labels = PoolLabels.For(names.Pool, PoolLabels.BackendComponent),
            },
            Spec = new V1PodDisruptionBudgetSpec
            {
                MaxUnavailable = 1,
                Selector = new V1LabelSelector { MatchLabels = PoolLabels.Selector(names.Pool, PoolLabels.BackendComponent) },
                // A pod that is not ready holds no clients; letting it be evicted keeps a broken pod from
                // blocking a node drain forever.
                UnhealthyPodEvictionPolicy = "AlwaysAllow",
            },
        };
    }
}
