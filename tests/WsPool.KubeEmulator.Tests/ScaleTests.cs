#pragma warning disable CS0618 // WatchAsync is marked obsolete in KubernetesClient 21 but is the documented way to watch.
using System.Diagnostics;
using Xunit.Abstractions;

namespace WsPool.KubeEmulator.Tests;

/// <summary>
/// The operator benchmark runs 1,000 pools against the emulator: these check that watches and lists stay exact at
/// that size (timings are printed for information, never asserted).
/// </summary>
public sealed class ScaleTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_watch_delivers_every_event_for_a_thousand_concurrently_applied_objects()
    {
        const int count = 1000;
        await using var api = await KubeApiEmulator.StartAsync(new EmulatorOptions { SimulateDeployments = false });
        var client = api.CreateClient();
        await client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(Crds.WebSocketPools());
        var rv = (await client.CustomObjects.ListNamespacedCustomObjectAsync("wspool.dev", "v1alpha1", "default", "websocketpools")) is { } l
            ? KubernetesJson.Deserialize<Crds.PoolList>(KubernetesJson.Serialize(l)).Metadata.ResourceVersion : null;
        await using var watch = new WatchReader<Crds.Pool, object>(ct => client.CustomObjects.ListClusterCustomObjectWithHttpMessagesAsync(
            "wspool.dev", "v1alpha1", "websocketpools", watch: true, resourceVersion: rv, cancellationToken: ct));

        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
        {
            var pool = Crds.Pool.Named($"pool-{i:D4}");
            await client.CustomObjects.PatchNamespacedCustomObjectAsync(new V1Patch(pool, V1Patch.PatchType.ApplyPatch),
                "wspool.dev", "v1alpha1", "default", "websocketpools", pool.Metadata.Name, fieldManager: "bench", cancellationToken: ct);
        });
        var applied = clock.Elapsed;
        var seen = new HashSet<string>();
        while (seen.Count < count) seen.Add((await watch.NextAsync()).Object.Metadata.Name);
        var list = await client.CustomObjects.ListNamespacedCustomObjectAsync("wspool.dev", "v1alpha1", "default", "websocketpools");

        seen.Should().HaveCount(count);
        KubernetesJson.Deserialize<Crds.PoolList>(KubernetesJson.Serialize(list)).Items.Should().HaveCount(count);
        output.WriteLine($"{count} applies in {applied.TotalMilliseconds:F0} ms ({count / applied.TotalSeconds:F0}/s); all watched after {clock.ElapsedMilliseconds} ms");
    }
}
