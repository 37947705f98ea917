using System.Text.Json.Nodes;

namespace WsPool.KubeEmulator.Tests;

/// <summary>kubectl get against the emulator prints the CRD's printer columns (it asks for a Table).</summary>
public sealed class KubectlGetTests
{
    [Fact]
    public async Task Kubectl_get_wsp_prints_the_balancer_and_ready_columns()
    {
        var lines = await KubectlGetAsync("get", "wsp", "-A");

        Words(lines[0]).Should().Equal("NAMESPACE", "NAME", "BALANCER", "AFFINITY", "READY", "DESIRED", "CONNECTIONS", "ROLLOUT", "AGE");
        // kubectl prints a null cell (no connections, no rollout) as blank, as it does for the real server's Table.
        Words(lines[1]).Should().Equal("default", "web", "HAProxy", "None", "2", "3", "0s");
    }

    [Fact]
    public async Task Kubectl_get_wsp_wide_adds_the_priority_one_columns()
    {
        var lines = await KubectlGetAsync("get", "wsp", "-o", "wide");

        Words(lines[0]).Should().Equal("NAME", "BALANCER", "AFFINITY", "READY", "DESIRED", "CONNECTIONS", "ROLLOUT", "OLD-CONNS", "MOVES/S", "AGE");
    }

    [Fact]
    public async Task Kubectl_get_wsp_watch_prints_a_changed_status_as_a_new_row()
    {
        var kubectl = Tools.Path(Tools.Kubectl);
        await using var pools = await PoolTables.StartAsync();
        pools.CreatePool("web", JsonNode.Parse("""{"readyReplicas":2,"desiredReplicas":3}""")!.AsObject());
        var root = Directory.CreateTempSubdirectory("wspool-kubectl-watch-").FullName;
        try
        {
            var kubeconfig = Path.Combine(root, "kubeconfig");
            pools.Api.WriteKubeconfig(kubeconfig);
            await using var watch = ManagedProcess.Start(kubectl,
                ["--kubeconfig", kubeconfig, "--cache-dir", Path.Combine(root, "cache"), "get", "wsp", "-w"]);
            await Eventually.TrueAsync(() => Rows(watch.Output).Any(r => r.SequenceEqual(["web", "HAProxy", "None", "2", "3", "0s"])),
                "kubectl -w prints the pool", Support.Wait, () => watch.Output);

            var stored = pools.Api.Store.GetJson(pools.Api.Store.Resolve("wspool.dev/v1alpha1", "WebSocketPool"), "default", "web")!;
            stored["status"]!["readyReplicas"] = 3;
            pools.Api.Store.UpsertJson(stored, "status");

            await Eventually.TrueAsync(() => Rows(watch.Output).Any(r => r.SequenceEqual(["web", "HAProxy", "None", "3", "3", "0s"])),
                "kubectl -w prints the new ready count", Support.Wait, () => watch.Output);
            Words(watch.Output.Split('\n')[0]).Should().StartWith(["NAME", "BALANCER"], "the header comes once, from the list");
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static IEnumerable<string[]> Rows(string output) => output.Split('\n').Select(Words);

    /// <summary>kubectl's output lines for one pool with a status (kubectl comes from `make deps`; missing, the test fails saying so).</summary>
    private static async Task<string[]> KubectlGetAsync(params string[] arguments)
    {
        var kubectl = Tools.Path(Tools.Kubectl);
        await using var pools = await PoolTables.StartAsync();
        pools.CreatePool("web", JsonNode.Parse("""{"readyReplicas":2,"desiredReplicas":3}""")!.AsObject());
        var root = Directory.CreateTempSubdirectory("wspool-kubectl-get-").FullName;
        try
        {
            var kubeconfig = Path.Combine(root, "kubeconfig");
            pools.Api.WriteKubeconfig(kubeconfig);
            var result = await ToolRun.RunAsync(kubectl,
                ["--kubeconfig", kubeconfig, "--cache-dir", Path.Combine(root, "cache"), "--request-timeout=30s", .. arguments],
                TimeSpan.FromMinutes(1));
            result.ExitCode.Should().Be(0, result.ToString());
            return result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static string[] Words(string line) => line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
}
