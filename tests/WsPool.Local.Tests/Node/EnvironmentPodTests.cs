using System.Text;
using k8s;
using k8s.Models;
using WsPool.Local.Tests.Support;
using Xunit.Abstractions;

namespace WsPool.Local.Tests.Node;

/// <summary>A container's variables (downward API, Secrets, ConfigMaps) reach its process, as the kubelet builds them.</summary>
public sealed class EnvironmentPodTests(ITestOutputHelper output)
{
    private const string EnvImage = "example/env-dump:1";
    // Prints its environment to its log (stdout), then stays up.
    private const string EnvDump = EnvImage + "=sh -c 'env | sort; echo env-dump-done; exec sleep 1000'";

    private static V1EnvVar Field(string name, string path) =>
        new() { Name = name, ValueFrom = new V1EnvVarSource { FieldRef = new V1ObjectFieldSelector { FieldPath = path } } };

    private static V1EnvVar SecretKey(string name, string secret, string key, bool? optional = null) =>
        new() { Name = name, ValueFrom = new V1EnvVarSource { SecretKeyRef = new V1SecretKeySelector { Name = secret, Key = key, Optional = optional } } };

    private static Task<string> LogAsync(NodeHarness node, string pod) =>
        Eventually.ValueAsync(() =>
        {
            var log = node.Node.Pod("default", pod)?.Containers.Single().LogFile;
            return log is not null && File.Exists(log) ? File.ReadAllText(log) : "";
        }, text => text.Contains("env-dump-done"), $"{pod} to print its environment", NodeHarness.Slow);

    [Fact]
    public async Task Field_refs_secret_and_config_map_keys_env_from_and_expansions_reach_the_process()
    {
        await using var node = await NodeHarness.StartAsync(output, o => o with { Run = [EnvDump] });
        await node.Client.CoreV1.CreateNamespacedSecretAsync(new V1Secret
        {
            Metadata = new V1ObjectMeta { Name = "creds" },
            Data = new Dictionary<string, byte[]> { ["password"] = Encoding.UTF8.GetBytes("s3cret value") },
        }, "default");
        await node.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap
        {
            Metadata = new V1ObjectMeta { Name = "settings" },
            Data = new Dictionary<string, string> { ["mode"] = "fast", ["LEVEL"] = "3" },
        }, "default");

        await node.CreatePodAsync(Pods.Mapped("env-0", EnvImage, edit: pod =>
        {
            pod.Metadata.Labels = new Dictionary<string, string> { ["app"] = "dump" };
            var container = pod.Spec.Containers[0];
            container.EnvFrom = [new V1EnvFromSource { ConfigMapRef = new V1ConfigMapEnvSource { Name = "settings" }, Prefix = "CM_" }];
            container.Env =
            [
                Field("MY_NAME", "metadata.name"),
                Field("MY_NAMESPACE", "metadata.namespace"),
                Field("MY_IP", "status.podIP"),
                Field("MY_NODE", "spec.nodeName"),
                Field("MY_APP", "metadata.labels['app']"),
                SecretKey("MY_PASSWORD", "creds", "password"),
                SecretKey("MY_OPTIONAL", "no-such-secret", "x", optional: true),
                new V1EnvVar { Name = "MY_MODE", ValueFrom = new V1EnvVarSource { ConfigMapKeyRef = new V1ConfigMapKeySelector { Name = "settings", Key = "mode" } } },
                new V1EnvVar { Name = "MY_GREETING", Value = "hello $(MY_NAME) at $(MY_IP), $$(MY_NAME) stays" },
            ];
        }));

        var pod = await node.WaitForPodAsync("env-0", NodeHarness.IsReady, "Running and Ready");
        var lines = (await LogAsync(node, "env-0")).Split('\n');
        var ip = pod.Status.PodIP;
        lines.Should().Contain([
            "MY_NAME=env-0", "MY_NAMESPACE=default", $"MY_IP={ip}", "MY_NODE=local", "MY_APP=dump", "MY_PASSWORD=s3cret value",
            "MY_MODE=fast", "CM_mode=fast", "CM_LEVEL=3", $"MY_GREETING=hello env-0 at {ip}, $(MY_NAME) stays", $"POD_IP={ip}", "HOSTNAME=env-0",
        ]);
        lines.Should().NotContain(l => l.StartsWith("MY_OPTIONAL="), "an optional reference to a missing Secret is left out");
    }

    [Fact]
    public async Task A_pod_that_needs_a_missing_secret_waits_with_create_container_config_error_and_starts_once_it_exists()
    {
        await using var node = await NodeHarness.StartAsync(output, o => o with { Run = [EnvDump] });

        await node.CreatePodAsync(Pods.Mapped("env-1", EnvImage, edit: pod => pod.Spec.Containers[0].Env = [SecretKey("TOKEN", "late", "token")]));
        var waiting = await node.WaitForPodAsync("env-1",
            p => p.Status?.ContainerStatuses?.SingleOrDefault()?.State?.Waiting?.Reason == "CreateContainerConfigError", "waiting for its Secret");
        waiting.Status.ContainerStatuses.Single().State.Waiting.Message.Should().Contain("\"late\"");
        waiting.Status.Phase.Should().Be("Pending");

        await node.Client.CoreV1.CreateNamespacedSecretAsync(new V1Secret
        {
            Metadata = new V1ObjectMeta { Name = "late" },
            StringData = new Dictionary<string, string> { ["token"] = "arrived" },
        }, "default");

        await node.WaitForPodAsync("env-1", NodeHarness.IsReady, "Running once the Secret exists");
        (await LogAsync(node, "env-1")).Split('\n').Should().Contain("TOKEN=arrived");
    }
}
