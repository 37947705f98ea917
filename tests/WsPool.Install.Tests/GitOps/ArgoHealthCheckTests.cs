using k8s.Models;
using WsPool.Core.Api;
using WsPool.Core.Status;
using R = WsPool.Core.Status.PoolConditions.Reasons;

namespace WsPool.Install.Tests.GitOps;

/// <summary>
/// The Argo CD health check, in a real Lua 5.4, against pool objects whose status is written by the operator's own
/// condition code (PoolConditions.Set), serialized with KubernetesJson exactly as the API returns them.
/// </summary>
public sealed class ArgoHealthCheckTests
{
    private static readonly DateTime Now = new(2026, 1, 1, 12, 0, 0, DateTimeKind.Utc);

    [Fact]
    public async Task A_pool_without_status_is_progressing()
    {
        var health = await ArgoHealth.EvaluateAsync(Pool(generation: 1, status: null));

        health.Status.Should().Be("Progressing");
    }

    [Fact]
    public async Task A_pool_whose_latest_generation_is_not_observed_is_progressing_even_if_ready()
    {
        var status = Status(observed: 1, c =>
            PoolConditions.Set(c, PoolConditions.Ready, true, R.Available, "3/3 ready", 1, Now));

        var health = await ArgoHealth.EvaluateAsync(Pool(generation: 2, status));

        health.Status.Should().Be("Progressing");
        health.Message.Should().Contain("generation 2");
    }

    [Fact]
    public async Task A_ready_pool_at_the_current_generation_is_healthy()
    {
        var status = Status(observed: 3, c =>
        {
            PoolConditions.Set(c, PoolConditions.Ready, true, R.Available, "3/3 backend pods ready", 3, Now);
            PoolConditions.Set(c, PoolConditions.Progressing, false, R.Complete, "rolled out", 3, Now);
            PoolConditions.Set(c, PoolConditions.Degraded, false, R.AsExpected, "", 3, Now);
        });

        var health = await ArgoHealth.EvaluateAsync(Pool(generation: 3, status));

        health.Should().Be(new ArgoHealth.Health("Healthy", "3/3 backend pods ready"));
    }

    [Fact]
    public async Task A_rolling_out_pool_is_progressing_with_the_operator_message()
    {
        var status = Status(observed: 1, c =>
        {
            PoolConditions.Set(c, PoolConditions.Ready, false, R.RollingOut, "1/3 backend pods ready", 1, Now);
            PoolConditions.Set(c, PoolConditions.Progressing, true, R.RollingOut, "1/3 backend pods ready", 1, Now);
            PoolConditions.Set(c, PoolConditions.Degraded, false, R.AsExpected, "", 1, Now);
        });

        var health = await ArgoHealth.EvaluateAsync(Pool(generation: 1, status));

        health.Should().Be(new ArgoHealth.Health("Progressing", "RollingOut: 1/3 backend pods ready"));
    }

    [Theory]
    [InlineData(R.InvalidSpec, "spec.maxReplicas: must be at least spec.minReplicas")]
    [InlineData(R.ApplyFailed, "apply Deployment chat: 422 Unprocessable")]
    public async Task A_degraded_pool_is_degraded_with_the_reason_and_message(string reason, string message)
    {
        var status = Status(observed: 2, c =>
        {
            PoolConditions.Set(c, PoolConditions.Ready, false, reason, message, 2, Now);
            PoolConditions.Set(c, PoolConditions.Progressing, false, reason, message, 2, Now);
            PoolConditions.Set(c, PoolConditions.Degraded, true, reason, message, 2, Now);
        });

        var health = await ArgoHealth.EvaluateAsync(Pool(generation: 2, status));

        health.Should().Be(new ArgoHealth.Health("Degraded", $"{reason}: {message}"));
    }

    [Fact]
    public async Task A_status_without_conditions_is_progressing()
    {
        var health = await ArgoHealth.EvaluateAsync(Pool(generation: 1, Status(observed: 1, _ => { })));

        health.Should().Be(new ArgoHealth.Health("Progressing", "Waiting for the Ready condition"));
    }

    internal static WebSocketPool Pool(long generation, WebSocketPoolStatus? status) => new()
    {
        Metadata = new V1ObjectMeta { Name = "chat", NamespaceProperty = "chat", Generation = generation },
        Spec = new WebSocketPoolSpec(),
        Status = status,
    };

    private static WebSocketPoolStatus Status(long observed, Action<List<V1Condition>> conditions)
    {
        var list = new List<V1Condition>();
        conditions(list);
        return new WebSocketPoolStatus { ObservedGeneration = observed, Replicas = 3, ReadyReplicas = 3, Conditions = list };
    }
}
