using k8s;
using k8s.Models;
using WsPool.KubeEmulator;
using WsPool.Local.Node;
using Xunit.Abstractions;

namespace WsPool.Local.Tests.Support;

/// <summary>
/// The API emulator in-process, a <see cref="LocalNode"/> against it (its own state directory, its own client with
/// the User-Agent <see cref="NodeAgent"/>), and a separate client for the test's own reads and writes. Disposing
/// stops the node (and every process it started), the emulator, and removes the state directory.
/// </summary>
public sealed class NodeHarness : IAsyncDisposable
{
    public const string NodeAgent = "wspool-local-node/test";
    public static readonly TimeSpan Slow = TimeSpan.FromSeconds(90);

    private readonly CancellationTokenSource _stop = new();
    private Task _running = Task.CompletedTask;

    private NodeHarness(KubeApiEmulator api, LocalNodeOptions options, TestLogger logger)
    {
        Api = api;
        Client = api.CreateClient("wspool-local-tests/1.0");
        Logger = logger;
        Node = new LocalNode(api.CreateClient(NodeAgent), options, logger);
    }

    public KubeApiEmulator Api { get; }
    public Kubernetes Client { get; }
    public LocalNode Node { get; }
    public TestLogger Logger { get; }
    public string StateDirectory => Node.Options.StateDirectory;

    public static async Task<NodeHarness> StartAsync(ITestOutputHelper output, Func<LocalNodeOptions, LocalNodeOptions>? configure = null)
    {
        var api = await KubeApiEmulator.StartAsync(new EmulatorOptions());
        // Short: a Unix socket in a pod directory must fit in 107 bytes.
        var state = Path.Combine(Path.GetTempPath(), "wsn-" + Guid.NewGuid().ToString("N")[..8]);
        var options = new LocalNodeOptions { StateDirectory = state, ShutdownGrace = TimeSpan.FromSeconds(2) };
        options = configure?.Invoke(options) ?? options;
        var harness = new NodeHarness(api, options, new TestLogger(output));
        harness._running = Task.Run(() => harness.Node.RunAsync(harness._stop.Token));
        return harness;
    }

    public async Task EnsureNamespaceAsync(string name)
    {
        if ((await Client.CoreV1.ListNamespaceAsync()).Items.Any(n => n.Metadata.Name == name)) return;
        await Client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = name } });
    }

    /// <summary>Creates the pod bound to the local node (as the scheduler would have).</summary>
    public Task<V1Pod> CreatePodAsync(V1Pod pod)
    {
        pod.Spec.NodeName ??= "local";
        return Client.CoreV1.CreateNamespacedPodAsync(pod, pod.Metadata.NamespaceProperty ?? "default");
    }

    public Task<V1Pod> ReadPodAsync(string name, string @namespace = "default") => Client.CoreV1.ReadNamespacedPodAsync(name, @namespace);

    /// <summary>Reads the pod from the API until <paramref name="until"/> holds; a timeout shows its last status and the node's log.</summary>
    public Task<V1Pod> WaitForPodAsync(string name, Func<V1Pod, bool> until, string what, string @namespace = "default", TimeSpan? timeout = null) =>
        Eventually.ValueAsync(() => ReadPodAsync(name, @namespace), until, $"pod {@namespace}/{name}: {what}", timeout ?? Slow,
            pod => KubernetesJson.Serialize(pod.Status) + "\nnode log:\n" + string.Join("\n", Logger.Lines.TakeLast(30)) + LogsOf(name, @namespace));

    /// <summary>Reads the node's snapshot of a pod until <paramref name="until"/> holds.</summary>
    public Task<LocalPodSnapshot?> WaitForSnapshotAsync(string name, Func<LocalPodSnapshot?, bool> until, string what, string @namespace = "default",
        TimeSpan? timeout = null) =>
        Eventually.ValueAsync(() => Node.Pod(@namespace, name), until, $"node's view of {@namespace}/{name}: {what}", timeout ?? Slow,
            snapshot => (snapshot?.ToString() ?? "null") + "\nnode log:\n" + string.Join("\n", Logger.Lines.TakeLast(30)) + LogsOf(name, @namespace));

    public static bool IsReady(V1Pod pod) =>
        pod.Status?.Phase == "Running" && pod.Status.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true;

    /// <summary>The container logs of a pod (for failure messages).</summary>
    public string LogsOf(string name, string @namespace = "default")
    {
        if (!Directory.Exists(StateDirectory)) return "";
        var text = "";
        foreach (var dir in Directory.GetDirectories(StateDirectory, $"{@namespace}_{name}_*"))
        foreach (var log in Directory.GetFiles(dir, "*.log"))
            text += $"\n--- {Path.GetFileName(log)}:\n" + string.Join("\n", File.ReadLines(log).TakeLast(30));
        return text;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Node.DisposeAsync();
        try
        {
            await _running.WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (Exception e) when (e is OperationCanceledException or TimeoutException)
        {
        }
        await Api.DisposeAsync();
        try
        {
            Directory.Delete(StateDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
