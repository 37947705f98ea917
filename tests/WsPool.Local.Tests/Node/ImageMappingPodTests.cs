using k8s;
using k8s.Models;
using WsPool.Local.Tests.Support;
using Xunit.Abstractions;

namespace WsPool.Local.Tests.Node;

/// <summary>Images the node has no built-in command for: --run mappings, and what a pod without one gets.</summary>
public sealed class ImageMappingPodTests(ITestOutputHelper output)
{
    private const string HttpImage = "ghcr.io/example/static:1.0";
    private const string HttpServer = HttpImage + "=python3 -m http.server --bind $POD_IP $PORT";

    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    [Fact]
    public async Task A_pod_whose_image_has_no_command_stays_pending_with_an_event_that_names_the_run_option()
    {
        await using var node = await NodeHarness.StartAsync(output);

        await node.CreatePodAsync(Pods.Mapped("ticker-0", "ghcr.io/example/ticker:2.3.1", port: 9000));

        var pod = await node.WaitForPodAsync("ticker-0",
            p => p.Status?.ContainerStatuses?.SingleOrDefault()?.State?.Waiting?.Reason == "ImageNotMapped", "waiting with ImageNotMapped");
        pod.Status.Phase.Should().Be("Pending");
        pod.Status.Conditions.Should().Contain(c => c.Type == "Ready" && c.Status == "False");
        var events = await Eventually.ValueAsync(
            async () => (await node.Client.EventsV1.ListNamespacedEventAsync("default")).Items
                .Where(e => e.Regarding?.Name == "ticker-0" && e.Reason == "ImageNotMapped").ToList(),
            list => list.Count > 0, "an ImageNotMapped event about the pod");
        var note = events.Single().Note;
        note.Should().Contain("--run 'ghcr.io/example/ticker:2.3.1=").And.Contain("$POD_IP").And.Contain("$PORT").And.Contain("(9000)");
        events.Single().Type.Should().Be("Warning");
        node.Node.Pod("default", "ticker-0")!.IP.Should().BeNull("a pod that cannot run holds no address");
    }

    [Fact]
    public async Task A_run_mapping_starts_its_command_with_the_pod_address_and_first_container_port_substituted()
    {
        await using var node = await NodeHarness.StartAsync(output, o => o with { Run = [HttpServer] });

        await node.CreatePodAsync(Pods.Mapped("static-0", HttpImage, port: 8000, pod =>
            pod.Spec.Containers[0].ReadinessProbe = new V1Probe { HttpGet = new V1HTTPGetAction { Path = "/", Port = "http" }, PeriodSeconds = 1 }));

        var pod = await node.WaitForPodAsync("static-0", NodeHarness.IsReady, "Running and Ready (its readiness probe answered on the pod address)");
        using var response = await Http.GetAsync($"http://{pod.Status.PodIP}:8000/");
        response.IsSuccessStatusCode.Should().BeTrue();
    }

    [Fact]
    public async Task Two_pods_get_distinct_addresses_and_each_serves_on_its_own()
    {
        await using var node = await NodeHarness.StartAsync(output, o => o with { Run = [HttpServer] });

        static void TcpReadiness(V1Pod pod) =>
            pod.Spec.Containers[0].ReadinessProbe = new V1Probe { TcpSocket = new V1TCPSocketAction { Port = "http" }, PeriodSeconds = 1 };
        await node.CreatePodAsync(Pods.Mapped("static-a", HttpImage, port: 8000, TcpReadiness));
        await node.CreatePodAsync(Pods.Mapped("static-b", HttpImage, port: 8000, TcpReadiness));
        var a = await node.WaitForPodAsync("static-a", NodeHarness.IsReady, "Running and Ready (a TCP connect to its port)");
        var b = await node.WaitForPodAsync("static-b", NodeHarness.IsReady, "Running and Ready (a TCP connect to its port)");

        a.Status.PodIP.Should().NotBe(b.Status.PodIP);
        foreach (var ip in new[] { a.Status.PodIP, b.Status.PodIP })
            await Eventually.ValueAsync(async () =>
            {
                try
                {
                    using var response = await Http.GetAsync($"http://{ip}:8000/");
                    return (int)response.StatusCode;
                }
                catch (HttpRequestException)
                {
                    return 0;
                }
            }, code => code == 200, $"http.server answering on {ip}:8000 (the same port on both pods)");
    }
}
