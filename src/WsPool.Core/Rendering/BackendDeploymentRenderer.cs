using k8s.Models;
using WsPool.Core.Api;

namespace WsPool.Core.Rendering;

/// <summary>The backend Deployment: the user's pod template plus wspool's labels, environment contract and drain.</summary>
public static class BackendDeploymentRenderer
{
    /// <summary>Rollouts add new pods before any old one drains (maxUnavailable 0), a quarter of the pool at a time.</summary>
    public const string MaxSurge = "25%";

    /// <summary>
    /// The Deployment of a valid pool (not modified), with extra pod template annotations (the broker's) and the
    /// autoscaler's replica count when it owns the field (<see cref="RenderOptions.BackendReplicas"/>).
    /// </summary>
    public static V1Deployment Render(WebSocketPool pool, IReadOnlyDictionary<string, string>? podTemplateAnnotations = null,
        int? backendReplicas = null)
    {
        var spec = pool.Spec ?? new WebSocketPoolSpec();
        var names = PoolNames.Of(pool);
        var template = PodTemplate(pool, names, podTemplateAnnotations);

        return new V1Deployment
        {
            ApiVersion = "apps/v1",
            Kind = V1Deployment.KubeKind,
            Metadata = new V1ObjectMeta
            {
                Name = names.Backend,
                NamespaceProperty = names.Namespace,
                Labels = PoolLabels.For(names.Pool, PoolLabels.BackendComponent),
                Annotations = new Dictionary<string, string> { [PodTemplateRevision.Annotation] = PodTemplateRevision.Of(template) },
            },
            Spec = new V1DeploymentSpec
            {
                Replicas = Replicas(spec, backendReplicas),
                Selector = new V1LabelSelector { MatchLabels = PoolLabels.Selector(names.Pool, PoolLabels.BackendComponent) },
                Strategy = new V1DeploymentStrategy
                {
                    Type = "RollingUpdate",
                    RollingUpdate = new V1RollingUpdateDeployment { MaxUnavailable = 0, MaxSurge = MaxSurge },
                },
                Template = template,
            },
        };
    }

    /// <summary>
    /// The replicas field, one rule for `wspool render` and the operator:
    /// <list type="bullet">
    /// <item>scaling off: spec.replicas, or minReplicas when unset; an autoscaler override is ignored, so the
    /// scale subresource (`kubectl scale wsp NAME --replicas N`, which writes spec.replicas) stays in charge;</item>
    /// <item>scaling on: the autoscaler's decision (<paramref name="autoscaled"/>) clamped to [minReplicas,
    /// maxReplicas]; spec.replicas is ignored; without a decision yet (a fresh pool, offline rendering) minReplicas,
    /// the size a new pool starts at.</item>
    /// </list>
    /// </summary>
    public static int Replicas(WebSocketPoolSpec spec, int? autoscaled = null)
    {
        if (spec.Scaling?.Enabled != true) return spec.Replicas ?? spec.MinReplicas;
        if (autoscaled is not { } decided) return spec.MinReplicas;
        return ReplicaBounds.Clamp(decided, spec.MinReplicas, spec.MaxReplicas);
    }

    private static V1PodTemplateSpec PodTemplate(WebSocketPool pool, PoolNames names, IReadOnlyDictionary<string, string>? extraAnnotations)
    {
        // A deep copy: the user's template stays exactly as they wrote it.
        var template = pool.Spec?.Template is { } userTemplate ? ObjectCopy.Deep(userTemplate) : new V1PodTemplateSpec();
        template.Metadata ??= new V1ObjectMeta();
        template.Spec ??= new V1PodSpec();
        template.Spec.Containers ??= new List<V1Container>();

        // wspool's labels win over the user's: the selector and the balancers rely on them.
        var labels = template.Metadata.Labels is null
            ? new Dictionary<string, string>()
            : new Dictionary<string, string>(template.Metadata.Labels);
        foreach (var (key, value) in PoolLabels.For(names.Pool, PoolLabels.BackendComponent))
            labels[key] = value;
        template.Metadata.Labels = labels;

        if (extraAnnotations is { Count: > 0 })
        {
            var annotations = template.Metadata.Annotations is null
                ? new Dictionary<string, string>()
                : new Dictionary<string, string>(template.Metadata.Annotations);
            foreach (var (key, value) in extraAnnotations)
                annotations[key] = value;
            template.Metadata.Annotations = annotations;
        }

        // The pod template carries no name or namespace of its own; they come from the Deployment.
        template.Metadata.Name = null;
        template.Metadata.NamespaceProperty = null;

        var contract = BackendEnv.For(pool);
        var drain = pool.Spec?.Drain;
        foreach (var container in template.Spec.Containers)
        {
            BackendEnv.AppendTo(container, contract);
            DrainLifecycle.ApplyPreStop(container, drain);
        }
        DrainLifecycle.ApplyGracePeriod(template.Spec, drain);
        return template;
    }
}
