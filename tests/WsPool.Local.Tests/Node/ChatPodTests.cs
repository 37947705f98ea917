using System.Net;
using k8s;
using k8s.Models;
using WsPool.Local.Tests.Support;
using Xunit.Abstractions;

namespace WsPool.Local.Tests.Node;

/// <summary>The sample backend's image run as a real chat-server process on its pod's own loopback address.</summary>
public sealed class ChatPodTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_chat_server_pod_becomes_running_and_ready_on_its_own_loopback_address_and_answers_a_websocket_there()
    {
        await using var node = await NodeHarness.StartAsync(output);

        await node.CreatePodAsync(Pods.ChatServer("chat-0"));
        var pod = await node.WaitForPodAsync("chat-0", NodeHarness.IsReady, "Running and Ready");

        var ip = IPAddress.Parse(pod.Status.PodIP);
        ip.GetAddressBytes()[0].Should().Be(127);
        pod.Status.PodIP.Should().NotBe("127.0.0.1", "127.0.0.1 is left to the API, DNS and the user");
        pod.Status.PodIPs.Select(p => p.Ip).Should().Equal(pod.Status.PodIP);
        pod.Status.HostIP.Should().Be("127.0.0.1");
        pod.Status.StartTime.Should().NotBeNull();
        pod.Status.Conditions.Select(c => (c.Type, c.Status)).Should().BeEquivalentTo(
            [("PodScheduled", "True"), ("Initialized", "True"), ("ContainersReady", "True"), ("Ready", "True")]);
        pod.Status.Conditions.Should().OnlyContain(c => c.LastTransitionTime != null);
        var container = pod.Status.ContainerStatuses.Should().ContainSingle().Subject;
        container.Name.Should().Be("chat");
        container.Image.Should().Be(Pods.ChatImage);
        container.Ready.Should().BeTrue();
        container.Started.Should().BeTrue();
        container.RestartCount.Should().Be(0);
        container.State.Running.Should().NotBeNull();

        await using var client = await WebSocketTestClient.ConnectAsync(new Uri($"ws://{ip}:8080/ws"));
        var whoami = await client.WhoAmIAsync();
        whoami.GetProperty("address").GetString().Should().Be($"{ip}:8080", "Kestrel listens on the pod's address");
        whoami.GetProperty("replica").GetString().Should().Be("chat-0", "HOSTNAME is the pod's name, as in a cluster");
        node.Node.Pod("default", "chat-0")!.IP.Should().Be(ip.ToString());

        // The admin port (9091 by default) follows the main URL's host: the operator reaches it on the pod's address.
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        using var shed = await http.PostAsync($"http://{ip}:9091/shed?count=0", null);
        shed.IsSuccessStatusCode.Should().BeTrue();
    }
}
