using k8s;
using k8s.Models;
using WsPool.Local.Tests.Support;
using Xunit.Abstractions;

namespace WsPool.Local.Tests.Node;

/// <summary>Restarts, termination by the drain contract, and the node's own shutdown.</summary>
public sealed class LifecyclePodTests(ITestOutputHelper output)
{
    private const string CrashOnceImage = "example/crash-once:1";
    // Exits 3 the first time (leaving a mark in its emptyDir, which outlives restarts), then stays up.
    private const string CrashOnce = CrashOnceImage + "=sh -c 'if [ -f /state/crashed ]; then exec sleep 1000; fi; touch /state/crashed; exit 3'";

    private const string HttpImage = "example/static:1";
    private const string HttpServer = HttpImage + "=python3 -m http.server --bind $POD_IP $PORT";

    private const string LoopImage = "example/loop:1";
    // Exits 0 on SIGTERM (a well-behaved server); the shell and its sleeps form one process group.
    // It says when its trap is set: a pod without a readiness probe is Ready as soon as its process runs, and a SIGTERM
    // before the trap would end the shell with 143 (seen on a loaded machine). It waits on its background child, so
    // the trap runs as soon as the signal comes.
    private const string Loop = LoopImage + "=sh -c 'trap \"exit 0\" TERM; echo trap-set; sleep 1000 & while :; do wait; done'";

    [Fact]
    public async Task A_container_that_exits_is_restarted_and_its_restart_count_and_last_exit_are_reported()
    {
        await using var node = await NodeHarness.StartAsync(output, o => o with { Run = [CrashOnce] });

        await node.CreatePodAsync(Pods.Mapped("crash-0", CrashOnceImage, edit: pod =>
        {
            pod.Spec.Volumes = [new V1Volume { Name = "state", EmptyDir = new V1EmptyDirVolumeSource() }];
            pod.Spec.Containers[0].VolumeMounts = [new V1VolumeMount { Name = "state", MountPath = "/state" }];
        }));

        var pod = await node.WaitForPodAsync("crash-0",
            p => NodeHarness.IsReady(p) && p.Status.ContainerStatuses.Single().RestartCount == 1, "Running again after one restart");
        var status = pod.Status.ContainerStatuses.Single();
        status.State.Running.Should().NotBeNull();
        status.LastState.Terminated.Should().NotBeNull();
        status.LastState.Terminated.ExitCode.Should().Be(3);
        status.LastState.Terminated.Reason.Should().Be("Error");
        var snapshot = node.Node.Pod("default", "crash-0")!;
        snapshot.Restarts.Should().Be(1);
        snapshot.Containers.Single().LastExitCode.Should().Be(3);
    }

    [Fact]
    public async Task A_container_failing_its_liveness_probe_is_killed_and_restarted()
    {
        await using var node = await NodeHarness.StartAsync(output, o => o with { Run = [HttpServer] });

        await node.CreatePodAsync(Pods.Mapped("live-0", HttpImage, port: 8000, pod =>
        {
            var container = pod.Spec.Containers[0];
            // http.server answers 404 here: the container is killed and restarted.
            container.LivenessProbe = new V1Probe
            {
                HttpGet = new V1HTTPGetAction { Path = "/no-such-page", Port = 8000 }, InitialDelaySeconds = 1, PeriodSeconds = 1, FailureThreshold = 2,
            };
        }));

        var pod = await node.WaitForPodAsync("live-0", p => p.Status?.ContainerStatuses?.SingleOrDefault()?.RestartCount >= 1,
            "restarted after failing its liveness probe");
        pod.Status.ContainerStatuses.Single().LastState.Terminated.Should().NotBeNull();
        await Eventually.ValueAsync(
            async () => (await node.Client.EventsV1.ListNamespacedEventAsync("default")).Items.Where(e => e.Regarding?.Name == "live-0").Select(e => e.Reason).ToList(),
            reasons => reasons.Contains("Unhealthy"), "an Unhealthy event about the pod");
        node.Logger.Lines.Should().Contain(l => l.Contains("liveness probe failed") && l.Contains("HTTP probe failed with statuscode: 404"));
    }

    [Fact]
    public async Task Deleting_a_chat_pod_runs_pre_stop_then_sigterm_and_its_websockets_close_with_1001_then_the_deletion_is_confirmed()
    {
        await using var node = await NodeHarness.StartAsync(output);
        await node.CreatePodAsync(Pods.ChatServer("chat-1", pod =>
        {
            pod.Spec.TerminationGracePeriodSeconds = 60;
            pod.Spec.Volumes = [new V1Volume { Name = "hooks", EmptyDir = new V1EmptyDirVolumeSource() }];
            var container = pod.Spec.Containers[0];
            container.VolumeMounts = [new V1VolumeMount { Name = "hooks", MountPath = "/hooks" }];
            // The hook says it runs, then holds until the test lets it go: SIGTERM cannot come before that.
            container.Lifecycle = new V1Lifecycle
            {
                PreStop = new V1LifecycleHandler
                {
                    Exec = new V1ExecAction { Command = ["sh", "-c", "touch /hooks/running; while [ ! -f /hooks/go ]; do sleep 0.1; done"] },
                },
            };
        }));
        var pod = await node.WaitForPodAsync("chat-1", NodeHarness.IsReady, "Running and Ready");
        var ip = pod.Status.PodIP;
        var directory = node.Node.Pod("default", "chat-1")!.Directory;
        var pid = node.Node.Pod("default", "chat-1")!.Containers.Single().Pid!.Value;
        await using var client = await WebSocketTestClient.ConnectAsync(new Uri($"ws://{ip}:8080/ws"));
        await client.WhoAmIAsync();

        await node.Client.CoreV1.DeleteNamespacedPodAsync("chat-1", "default");

        var terminating = await node.WaitForSnapshotAsync("chat-1", s => s?.TerminatingSince is not null && !s.Ready, "terminating and not ready");
        terminating.Should().NotBeNull();
        await Eventually.TrueAsync(() => File.Exists(Path.Combine(directory, "volumes", "hooks", "running")), "the preStop hook to run");
        client.Closed.IsCompleted.Should().BeFalse("SIGTERM waits for the preStop hook, and only SIGTERM starts the drain");
        (await client.WhoAmIAsync()).GetProperty("replica").GetString().Should().Be("chat-1", "the server still serves during preStop");

        await File.WriteAllTextAsync(Path.Combine(directory, "volumes", "hooks", "go"), "");

        var close = await client.WaitForCloseAsync(TimeSpan.FromSeconds(30));
        close.Code.Should().Be(1001, "the chat server drains on SIGTERM with Going Away");
        await node.WaitForSnapshotAsync("chat-1", s => s is null, "the pod to be gone from the node");
        Alive(pid).Should().BeFalse();
        node.Node.Addresses.Taken.Should().NotContainKey(ip, "the address is released once the processes are gone");
        node.Api.Requests.Where(r => r is { Verb: "delete", Resource: "pods", Name: "chat-1", UserAgent: NodeHarness.NodeAgent })
            .Should().NotBeEmpty("the node confirms the deletion (here the pod was already gone: 404, ignored)");
    }

    [Fact]
    public async Task A_pod_marked_for_deletion_is_stopped_reports_its_final_status_and_the_node_confirms_with_grace_zero()
    {
        await using var node = await NodeHarness.StartAsync(output, o => o with { Run = [Loop] });
        // A finalizer keeps the pod in the API with a deletionTimestamp, as graceful deletion does.
        await node.CreatePodAsync(Pods.Mapped("loop-0", LoopImage, edit: pod => pod.Metadata.Finalizers = ["example.com/hold"]));
        await node.WaitForPodAsync("loop-0", NodeHarness.IsReady, "Running and Ready");
        var container = node.Node.Pod("default", "loop-0")!.Containers.Single();
        var pid = container.Pid!.Value;
        await Eventually.TrueAsync(() => File.Exists(container.LogFile) && File.ReadAllText(container.LogFile).Contains("trap-set"),
            "the shell to set its SIGTERM trap");

        await node.Client.CoreV1.DeleteNamespacedPodAsync("loop-0", "default", gracePeriodSeconds: 30);

        await node.WaitForSnapshotAsync("loop-0", s => s is null, "the pod to be stopped and finished");
        Alive(pid).Should().BeFalse();
        GroupAlive(pid).Should().BeFalse("the shell's background sleep goes with it");
        var final = await node.ReadPodAsync("loop-0");
        final.Metadata.DeletionTimestamp.Should().NotBeNull();
        final.Status.Phase.Should().Be("Succeeded", "the process exited 0 on SIGTERM");
        final.Status.Conditions.Should().Contain(c => c.Type == "Ready" && c.Status == "False");
        final.Status.ContainerStatuses.Single().State.Terminated.ExitCode.Should().Be(0);
        node.Api.Requests.Where(r => r is { Verb: "delete", Resource: "pods", Name: "loop-0", UserAgent: NodeHarness.NodeAgent, StatusCode: 200 })
            .Should().ContainSingle("the node confirms once");
        node.Node.Pod("default", "loop-0").Should().BeNull("a finished pod is not started again while the API still shows it");

        await node.Client.CoreV1.PatchNamespacedPodAsync(new V1Patch("{\"metadata\":{\"finalizers\":null}}", V1Patch.PatchType.MergePatch), "loop-0", "default");
    }

    [Fact]
    public async Task Disposing_the_node_stops_every_process_it_started()
    {
        var node = await NodeHarness.StartAsync(output, o => o with { Run = [Loop] });
        List<int> pids;
        try
        {
            await node.CreatePodAsync(Pods.ChatServer("chat-2"));
            await node.CreatePodAsync(Pods.Mapped("loop-1", LoopImage));
            await node.CreatePodAsync(Pods.Mapped("loop-2", LoopImage));
            foreach (var name in new[] { "chat-2", "loop-1", "loop-2" }) await node.WaitForPodAsync(name, NodeHarness.IsReady, "Running and Ready");
            pids = node.Node.Pods.SelectMany(p => p.Containers).Select(c => c.Pid!.Value).ToList();
            pids.Should().HaveCount(3);
            pids.Should().OnlyContain(pid => Alive(pid));
        }
        finally
        {
            await node.DisposeAsync();
        }

        pids.Where(Alive).Should().BeEmpty("every container process is gone once DisposeAsync returns");
        pids.Where(GroupAlive).Should().BeEmpty("and every process they started");
    }

    private static bool Alive(int pid) => Stat(pid) is { } stat && stat.State != 'Z';

    private static bool GroupAlive(int group) =>
        Directory.EnumerateDirectories("/proc").Select(d => int.TryParse(Path.GetFileName(d), out var pid) ? Stat(pid) : null)
            .Any(s => s is { } stat && stat.Group == group && stat.State != 'Z');

    private static (char State, int Group)? Stat(int pid)
    {
        try
        {
            var text = File.ReadAllText($"/proc/{pid}/stat");
            var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
            return (fields[0][0], int.Parse(fields[2]));
        }
        catch (IOException)
        {
            return null;
        }
    }
}
