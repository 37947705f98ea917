using System.Text.Json.Nodes;

namespace WsPool.KubeEmulator.Tests;

/// <summary>kubectl get against the emulator prints the CRD's printer columns (it asks for a Table).</summary>
public sealed class KubectlGetTests
{
    [Fact]
    public async Task Kubectl_get_wsp_prints_the_balancer_and_ready_columns()
    {
        var kubectl = Tools.Find(Tools.Kubectl);
        if (kubectl is null) return; // kubectl is not on this machine (make deps provides it): nothing to run
        await using var pools = await PoolTables.StartAsync();
        pools.CreatePool("web", JsonNode.Parse("""{"readyReplicas":2,"desiredReplicas":3}""")!.AsObject());
        var root = Directory.CreateTempSubdirectory("wspool-kubectl-get-").FullName;
        try
        {
            var kubeconfig = Path.Combine(root, "kubeconfig");
            pools.Api.WriteKubeconfig(kubeconfig);

            var result = await ToolRun.RunAsync(kubectl,
                ["--kubeconfig", kubeconfig, "--cache-dir", Path.Combine(root, "cache"), "--request-timeout=30s", "get", "wsp", "-A"],
                TimeSpan.FromMinutes(1));

            result.ExitCode.Should().Be(0, result.ToString());
            var lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries).Should()
                .Equal("NAMESPACE", "NAME", "BALANCER", "AFFINITY", "READY", "DESIRED", "CONNECTIONS", "ROLLOUT", "AGE");
            lines[1].Split(' ', StringSplitOptions.RemoveEmptyEntries).Should().StartWith(["default", "web", "HAProxy", "None", "2", "3"]);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
