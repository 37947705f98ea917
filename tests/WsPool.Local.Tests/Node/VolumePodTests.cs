using System.Text;
using k8s;
using k8s.Models;
using WsPool.Local.Tests.Support;
using Xunit.Abstractions;

namespace WsPool.Local.Tests.Node;

/// <summary>ConfigMap, Secret and emptyDir volumes become pod directories that the container's paths point to.</summary>
public sealed class VolumePodTests(ITestOutputHelper output)
{
    private const string CatImage = "example/cat:1";
    // Mount paths in the command are rewritten to the pod's directories, as in a container's view of its mounts.
    private const string Cat = CatImage + "=sh -c 'cat /etc/creds/nested/pw; echo; cat /etc/settings/mode; echo; touch /scratch/written; echo vol-done; exec sleep 1000'";

    [Fact]
    public async Task Volumes_are_projected_with_their_items_and_a_changed_secret_updates_the_mounted_file()
    {
        await using var node = await NodeHarness.StartAsync(output, o => o with { Run = [Cat] });
        await node.Client.CoreV1.CreateNamespacedSecretAsync(new V1Secret
        {
            Metadata = new V1ObjectMeta { Name = "creds" },
            Data = new Dictionary<string, byte[]> { ["password"] = Encoding.UTF8.GetBytes("first"), ["unused"] = Encoding.UTF8.GetBytes("x") },
        }, "default");
        await node.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap
        {
            Metadata = new V1ObjectMeta { Name = "settings" },
            Data = new Dictionary<string, string> { ["mode"] = "fast", ["other"] = "y" },
        }, "default");

        await node.CreatePodAsync(Pods.Mapped("cat-0", CatImage, edit: pod =>
        {
            pod.Spec.Volumes =
            [
                new V1Volume { Name = "creds", Secret = new V1SecretVolumeSource { SecretName = "creds", Items = [new V1KeyToPath { Key = "password", Path = "nested/pw" }] } },
                new V1Volume { Name = "settings", ConfigMap = new V1ConfigMapVolumeSource { Name = "settings" } },
                new V1Volume { Name = "scratch", EmptyDir = new V1EmptyDirVolumeSource() },
            ];
            pod.Spec.Containers[0].VolumeMounts =
            [
                new V1VolumeMount { Name = "creds", MountPath = "/etc/creds", ReadOnlyProperty = true },
                new V1VolumeMount { Name = "settings", MountPath = "/etc/settings" },
                new V1VolumeMount { Name = "scratch", MountPath = "/scratch" },
            ];
        }));
        await node.WaitForPodAsync("cat-0", NodeHarness.IsReady, "Running and Ready");
        var snapshot = node.Node.Pod("default", "cat-0")!;
        var log = await Eventually.ValueAsync(() => File.Exists(snapshot.Containers[0].LogFile) ? File.ReadAllText(snapshot.Containers[0].LogFile) : "",
            text => text.Contains("vol-done"), "the container to read its volumes");

        log.Split('\n').Should().StartWith(["first", "fast"], "the Secret is decoded and items honoured; the ConfigMap has every key");
        var volumes = Path.Combine(snapshot.Directory, "volumes");
        File.Exists(Path.Combine(volumes, "creds", "unused")).Should().BeFalse("only the listed items are projected");
        File.Exists(Path.Combine(volumes, "settings", "other")).Should().BeTrue();
        File.Exists(Path.Combine(volumes, "scratch", "written")).Should().BeTrue("the emptyDir is writable");

        var secret = await node.Client.CoreV1.ReadNamespacedSecretAsync("creds", "default");
        secret.Data["password"] = Encoding.UTF8.GetBytes("second");
        await node.Client.CoreV1.ReplaceNamespacedSecretAsync(secret, "creds", "default");

        await Eventually.ValueAsync(() => File.ReadAllText(Path.Combine(volumes, "creds", "nested", "pw")), text => text == "second",
            "the mounted Secret file to follow the Secret, as the kubelet updates it");
        node.Node.Pod("default", "cat-0")!.Reloads.Should().Be(0, "only balancers are reloaded");
    }
}
