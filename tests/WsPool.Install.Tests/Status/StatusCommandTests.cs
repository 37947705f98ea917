using k8s;
using k8s.Models;
using WsPool.Cli;
using WsPool.Core.Api;
using WsPool.Install.Tests.Support;
using WsPool.KubeEmulator;

namespace WsPool.Install.Tests.Status;

/// <summary>`wspool status`, run in-process with a kubeconfig that points at the API emulator.</summary>
public sealed class StatusCommandTests : IAsyncLifetime
{
    private KubeApiEmulator _api = null!;
    private readonly string _kubeconfig = Path.Combine(Path.GetTempPath(), $"wspool-status-{Guid.NewGuid():N}.yaml");

    public async Task InitializeAsync()
    {
        _api = await EmulatedCluster.StartAsync("chat", "games");
        EmulatorKubeconfig.Write(_api, _kubeconfig);
        using var client = _api.CreateClient();

        await CreateAsync(client, Pool("chat", "chat", p =>
        {
            p.Spec.Affinity.Type = AffinityType.Cookie;
            p.Spec.Affinity.Cookie = new CookieAffinitySpec { Name = "CHATID" };
            p.Spec.Scaling.Enabled = true;
            p.Spec.MinReplicas = 2;
            p.Spec.MaxReplicas = 8;
        }), new WebSocketPoolStatus
        {
            ObservedGeneration = 1,
            Replicas = 3,
            ReadyReplicas = 3,
            DesiredReplicas = 3,
            Connections = new ConnectionsStatus
            {
                Total = 2100,
                Pods =
                [
                    new PodConnections { Name = "chat-7d9f-abcde", Connections = 1500 },
                    new PodConnections { Name = "chat-7d9f-fghij", Connections = 500 },
                    new PodConnections { Name = "chat-7d9f-klmno", Connections = 100 },
                ],
            },
            Rollout = new RolloutStatus
            {
                Phase = "Draining", Revision = "7f9c8d6b5", OldPods = 2, OldConnections = 640, ReconnectsPerSecond = 38.4, MaxReconnectsPerSecond = 40,
            },
            Conditions =
            [
                Condition("Ready", "True", "Available", "3/3 backend pods ready"),
                Condition("Scaling", "True", "ScaledUp", "connections 2100 over 2 pods above target 1000: 2 -> 3"),
            ],
        });
        await CreateAsync(client, Pool("games", "lobby", p =>
        {
            p.Spec.Balancer.Type = BalancerType.Nginx;
            p.Spec.Affinity.Type = AffinityType.ClientIP;
            p.Spec.Replicas = 4;
        }), new WebSocketPoolStatus { ObservedGeneration = 1, Replicas = 4, ReadyReplicas = 2 });
    }

    public async Task DisposeAsync()
    {
        await _api.DisposeAsync();
        File.Delete(_kubeconfig);
    }

    [Fact]
    public void The_list_shows_the_pools_of_the_contexts_namespace_only()
    {
        var (code, output, _) = Run("status", "-n", "games");

        code.Should().Be(ExitCodes.Ok);
        output.Should().Contain("lobby").And.Contain("Nginx L7").And.Contain("ClientIP").And.Contain("2/4");
        output.Should().NotContain("chat");
    }

    [Fact]
    public void All_namespaces_lists_every_pool_with_balancer_affinity_replicas_and_connections()
    {
        var (code, output, _) = Run("status", "-A");

        code.Should().Be(ExitCodes.Ok);
        var chat = Line(output, "chat ");
        chat.Should().Contain("HAProxy L7").And.Contain("Cookie CHATID").And.Contain("3/3").And.Contain("2100").And.Contain("auto 2-8");
        Line(output, "lobby").Should().Contain("games").And.Contain("manual");
        output.IndexOf("chat ", StringComparison.Ordinal).Should().BeLessThan(output.IndexOf("lobby", StringComparison.Ordinal));
    }

    [Fact]
    public void One_pool_shows_each_pod_with_a_bar_against_target_and_limit()
    {
        var (code, output, _) = Run("status", "-n", "chat", "chat");

        code.Should().Be(ExitCodes.Ok);
        Line(output, "chat-7d9f-abcde").Should().Contain("1500").And.Contain(ConnectionBar.Draw(1500, 1000, 2000)).And.Contain("75%");
        Line(output, "chat-7d9f-klmno").Should().Contain(ConnectionBar.Draw(100, 1000, 2000)).And.Contain("5%");
        output.Should().Contain("target=1000 limit=2000");
    }

    [Fact]
    public void One_pool_shows_the_last_scaling_decision_and_the_conditions()
    {
        var (_, output, _) = Run("status", "-n", "chat", "chat");

        Line(output, "Last scaling decision").Should().Contain("ScaledUp: connections 2100 over 2 pods above target 1000: 2 -> 3");
        Line(output, "Ready ").Should().Contain("True").And.Contain("Available").And.Contain("3/3 backend pods ready");
    }

    [Fact]
    public void One_pool_in_a_rollout_shows_its_phase_the_old_revisions_connections_and_the_pace()
    {
        var (code, output, _) = Run("status", "-n", "chat", "chat");

        code.Should().Be(ExitCodes.Ok);
        Line(output, "Rollout:").Should().Contain("Draining to revision 7f9c8d6b5: 2 old pod(s) holding 640 connection(s), 38.4/s moved (bound 40/s)");
    }

    [Fact]
    public void A_pool_without_connection_counts_says_so()
    {
        var (code, output, _) = Run("status", "-n", "games", "lobby");

        code.Should().Be(ExitCodes.Ok);
        output.Should().Contain("no connection counts reported yet").And.Contain("Last scaling decision: none reported");
    }

    [Fact]
    public void A_missing_pool_is_an_error_naming_it()
    {
        var (code, _, error) = Run("status", "-n", "chat", "nope");

        code.Should().Be(ExitCodes.InvalidInput);
        error.Should().Contain("chat/nope not found");
    }

    [Fact]
    public void The_context_namespace_is_the_default()
    {
        var (code, output, _) = Run("status");

        code.Should().Be(ExitCodes.Ok);
        output.Should().Contain("No WebSocketPools found in namespace default.");
    }

    [Fact]
    public async Task An_unreachable_cluster_is_reported_with_its_address()
    {
        var port = WsPool.Testing.FreePort.Next();
        var file = Path.Combine(Path.GetTempPath(), $"wspool-status-dead-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(file, File.ReadAllText(_kubeconfig).Replace(new Uri(_api.Url).Port.ToString(), port.ToString()));
        try
        {
            var (code, _, error) = RunWith(file, "status", "-A");

            code.Should().Be(4);
            error.Should().Contain($"127.0.0.1:{port}");
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void A_missing_kubeconfig_is_a_usage_error()
    {
        var (code, _, error) = RunWith("/nonexistent/kubeconfig", "status");

        code.Should().Be(ExitCodes.Usage);
        error.Should().Contain("kubeconfig");
    }

    private (int Code, string Output, string Error) Run(params string[] args) => RunWith(_kubeconfig, args);

    private static (int Code, string Output, string Error) RunWith(string kubeconfig, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = CliApp.Run([.. args, "--kubeconfig", kubeconfig], new StringReader(""), stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    private static string Line(string output, string containing) =>
        output.Split('\n').Should().ContainSingle(l => l.Contains(containing), $"output:\n{output}").Subject;

    private static WebSocketPool Pool(string ns, string name, Action<WebSocketPool> edit)
    {
        var pool = new WebSocketPool
        {
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns },
            Spec = new WebSocketPoolSpec
            {
                Template = new V1PodTemplateSpec
                {
                    Spec = new V1PodSpec { Containers = [new V1Container { Name = "app", Image = "ghcr.io/wspool/chat-server:0.1.0" }] },
                },
            },
        };
        edit(pool);
        return pool;
    }

    private static async Task CreateAsync(IKubernetes client, WebSocketPool pool, WebSocketPoolStatus status)
    {
        await EmulatedCluster.CreatePoolAsync(client, pool);
        var patch = new V1Patch(KubernetesJson.Serialize(new { status }), V1Patch.PatchType.MergePatch);
        await client.CustomObjects.PatchNamespacedCustomObjectStatusAsync(patch, WebSocketPool.Group, WebSocketPool.Version,
            pool.Metadata.NamespaceProperty, WebSocketPool.Plural, pool.Metadata.Name);
    }

    private static V1Condition Condition(string type, string status, string reason, string message) => new()
    {
        Type = type,
        Status = status,
        Reason = reason,
        Message = message,
        ObservedGeneration = 1,
        LastTransitionTime = DateTime.UtcNow.AddMinutes(-3),
    };
}
