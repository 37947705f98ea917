using k8s.Models;
using WsPool.Core.Api;
using WsPool.Core.Balancers;
using WsPool.Core.Intent;
using WsPool.Core.Status;
using WsPool.Core.Tests.Rendering;

namespace WsPool.Core.Tests.Status;

/// <summary>The pool's status as a pure function of what was observed: no API, no clock but the one passed in.</summary>
public sealed class PoolStatusCalculatorTests
{
    private static readonly DateTime Now = new(2026, 12, 5, 12, 0, 0, DateTimeKind.Utc);

    private static PoolIntent Intent(Action<WebSocketPool>? adjust = null) => TestPools.Render(TestPools.Minimal(p =>
    {
        p.Metadata.Generation = 3;
        adjust?.Invoke(p);
    }));

    /// <summary>Every Deployment of the intent as its controller reports it once all replicas are ready.</summary>
    private static Func<string, V1Deployment?> AllAvailable(PoolIntent intent) => name =>
        intent.Objects.OfType<V1Deployment>().Where(d => d.Metadata.Name == name).Select(d => Live(d, d.Spec.Replicas ?? 1)).FirstOrDefault();

    private static V1Deployment Live(V1Deployment intent, int ready) => new()
    {
        Metadata = new V1ObjectMeta { Name = intent.Metadata.Name, Generation = 1 },
        Spec = new V1DeploymentSpec { Replicas = intent.Spec.Replicas },
        Status = new V1DeploymentStatus
        {
            ObservedGeneration = 1, Replicas = ready, ReadyReplicas = ready, UpdatedReplicas = ready, AvailableReplicas = ready,
        },
    };

    private static V1Condition Condition(WebSocketPoolStatus status, string type) => status.Conditions!.Single(c => c.Type == type);

    [Fact]
    public void A_pool_whose_deployments_are_all_available_is_ready_and_no_longer_progressing()
    {
        var intent = Intent();

        var status = PoolStatusCalculator.Applied(intent, AllAvailable(intent), [], null, null, Now);

        Condition(status, PoolConditions.Ready).Should().BeEquivalentTo(new { Status = "True", Reason = "Available", Message = "1/1 backend pods ready", ObservedGeneration = 3L });
        Condition(status, PoolConditions.Progressing).Status.Should().Be("False");
        Condition(status, PoolConditions.Degraded).Status.Should().Be("False");
        status.ObservedGeneration.Should().Be(3);
        status.Selector.Should().Be("app.kubernetes.io/name=websocketpool,app.kubernetes.io/instance=demo,app.kubernetes.io/component=backend");
    }

    [Fact]
    public void A_deployment_short_of_ready_replicas_keeps_the_pool_rolling_out_and_names_it()
    {
        var intent = Intent(p => p.Spec.Replicas = 3);
        var backend = intent.Backend();
        var others = AllAvailable(intent);

        var status = PoolStatusCalculator.Applied(intent, name => name == backend.Metadata.Name ? Live(backend, 1) : others(name), [], null, null, Now);

        Condition(status, PoolConditions.Ready).Should().BeEquivalentTo(new { Status = "False", Reason = "RollingOut", Message = "Deployment demo: 1/3 ready" });
        Condition(status, PoolConditions.Progressing).Status.Should().Be("True");
        status.ReadyReplicas.Should().Be(1);
        status.DesiredReplicas.Should().Be(3);
    }

    [Fact]
    public void A_missing_prerequisite_makes_the_pool_degraded_with_its_reason_and_what_to_install()
    {
        var intent = Intent();
        IReadOnlyList<ClusterPrerequisite> missing = [ClusterPrerequisites.HttpRoutes(experimental: false)];

        var status = PoolStatusCalculator.Applied(intent, AllAvailable(intent), missing, null, null, Now);

        Condition(status, PoolConditions.Degraded).Should().BeEquivalentTo(new { Status = "True", Reason = "GatewayAPIMissing" });
        Condition(status, PoolConditions.Degraded).Message.Should().Contain("install the Gateway API standard channel");
        Condition(status, PoolConditions.Ready).Status.Should().Be("False");
    }

    [Fact]
    public void A_condition_that_keeps_its_status_keeps_its_transition_time()
    {
        var intent = Intent();
        var first = PoolStatusCalculator.Applied(intent, AllAvailable(intent), [], null, null, Now);
        var later = Intent(p => p.Status = first);

        var second = PoolStatusCalculator.Applied(later, AllAvailable(later), [], null, null, Now.AddMinutes(5));

        Condition(second, PoolConditions.Ready).LastTransitionTime.Should().Be(Now);
    }

    [Fact]
    public void A_scaling_readout_sets_connections_the_scale_time_and_the_scaling_condition()
    {
        var intent = Intent();
        var connections = new ConnectionsStatus { Total = 120, Pods = [new PodConnections { Name = "demo-a", Connections = 120 }] };

        var status = PoolStatusCalculator.Applied(intent, AllAvailable(intent), [],
            new ScalingReadout(connections, ReplicasChanged: true, Status: true, "ScaledUp", "scaling up 1 → 2"), null, Now);

        status.Connections.Should().BeSameAs(connections);
        status.LastScaleTime.Should().Be(Now);
        Condition(status, PoolConditions.Scaling).Should().BeEquivalentTo(new { Status = "True", Reason = "ScaledUp", Message = "scaling up 1 → 2" });
    }

    [Fact]
    public void Unchanged_connection_counts_keep_the_previous_reading_so_a_steady_pool_writes_nothing()
    {
        var intent = Intent();
        var earlier = new ConnectionsStatus { Total = 5, SampledAt = Now.AddMinutes(-1), Pods = [new PodConnections { Name = "demo-a", Connections = 5 }] };
        var pool = Intent(p => p.Status = new WebSocketPoolStatus { Connections = earlier });
        var again = new ConnectionsStatus { Total = 5, SampledAt = Now, Pods = [new PodConnections { Name = "demo-a", Connections = 5 }] };

        var status = PoolStatusCalculator.Applied(pool, AllAvailable(pool), [], new ScalingReadout(again, false, true, "Steady", "holding at 1"), null, Now);

        status.Connections!.SampledAt.Should().Be(Now.AddMinutes(-1));
    }

    [Fact]
    public void Turning_scaling_off_removes_the_connections_and_the_scaling_condition()
    {
        var withScaling = new WebSocketPoolStatus
        {
            Connections = new ConnectionsStatus { Total = 5 },
            Conditions = [new V1Condition { Type = PoolConditions.Scaling, Status = "True", Reason = "Steady", Message = "" }],
        };
        var intent = Intent(p => p.Status = withScaling);

        var status = PoolStatusCalculator.Applied(intent, AllAvailable(intent), [], null, null, Now);

        status.Connections.Should().BeNull();
        status.Conditions.Should().NotContain(c => c.Type == PoolConditions.Scaling);
    }

    [Fact]
    public void An_invalid_spec_changes_only_the_conditions_and_names_every_broken_rule()
    {
        var pool = TestPools.Minimal(p => p.Status = new WebSocketPoolStatus { ReadyReplicas = 2, DesiredReplicas = 2 });

        var status = PoolStatusCalculator.Invalid(pool, "spec.minReplicas: must be ≤ maxReplicas; spec.port: no such port", Now);

        status.ReadyReplicas.Should().Be(2);
        Condition(status, PoolConditions.Ready).Should().BeEquivalentTo(new { Status = "False", Reason = "InvalidSpec", Message = "spec.minReplicas: must be ≤ maxReplicas; spec.port: no such port" });
        Condition(status, PoolConditions.Degraded).Status.Should().Be("True");
        Condition(status, PoolConditions.Progressing).Message.Should().Be("Waiting for a valid spec");
    }

    [Fact]
    public void A_refused_apply_is_degraded_and_not_ready_with_the_servers_answer()
    {
        var status = PoolStatusCalculator.ApplyFailed(TestPools.Minimal(), "HTTP 422: spec.replicas: Invalid value", Now);

        Condition(status, PoolConditions.Degraded).Should().BeEquivalentTo(new { Status = "True", Reason = "ApplyFailed", Message = "HTTP 422: spec.replicas: Invalid value" });
        Condition(status, PoolConditions.Ready).Reason.Should().Be("ApplyFailed");
    }

    [Fact]
    public void The_calculator_never_changes_the_pool_it_reads()
    {
        var intent = Intent(p => p.Status = new WebSocketPoolStatus { ReadyReplicas = 7 });

        PoolStatusCalculator.Applied(intent, AllAvailable(intent), [], null, null, Now);

        intent.Pool.Status!.ReadyReplicas.Should().Be(7);
        intent.Pool.Status!.Conditions.Should().BeNullOrEmpty();
    }
}
