using System.Diagnostics;
using System.Text;
using System.Text.Json;
using k8s;
using k8s.Models;
using WsPool.Core.Api;
using WsPool.Core.Intent;
using WsPool.Core.Rendering;
using WsPool.Testing;

namespace WsPool.Core.Tests.Rendering;

/// <summary>The written manifests are read back the way their consumers read them: KubernetesClient and kubectl.</summary>
public class ManifestAcceptanceTests
{
    public static TheoryData<string> ExampleNames() => GoldenFileTests.ExampleNames();

    /// <summary>Every example, plus variants that exercise the parts the examples leave out.</summary>
    public static TheoryData<string> Pools()
    {
        var data = new TheoryData<string>();
        foreach (var name in Examples.ValidExampleNames())
            data.Add(name);
        data.Add("variant:external-broker");
        data.Add("variant:managed-broker-with-password");
        return data;
    }

    private static PoolIntent RenderPool(string name) => name switch
    {
        "variant:external-broker" => TestPools.Render(TestPools.Minimal(p =>
        {
            p.Spec.Broker.Type = BrokerType.External;
            p.Spec.Broker.External = new SecretKeyRef { Name = "shared-redis", Key = "url" };
        })),
        "variant:managed-broker-with-password" => TestPools.Render(
            TestPools.Minimal(p => p.Spec.Broker.Type = BrokerType.Managed),
            new RenderOptions { GeneratedValues = new Dictionary<GeneratedValue, string> { [new("demo-redis", "password")] = "0123456789abcdef" } }),
        _ => PoolIntent.For(Examples.Load(name), new RenderOptions()),
    };

    [Theory]
    [MemberData(nameof(Pools))]
    public void Every_written_object_reads_back_strictly_into_its_model_type_unchanged(string pool)
    {
        foreach (var obj in RenderPool(pool).Objects)
        {
            var yaml = ManifestWriter.ToYaml(obj);

            var back = DeserializeStrict(yaml, obj.GetType());

            ManifestWriter.ToYaml((IKubernetesObject<V1ObjectMeta>)back).Should().Be(yaml, $"{obj.Kind}/{obj.Metadata.Name} should survive a strict round trip");
        }
    }

    [Theory]
    [MemberData(nameof(Pools))]
    public void The_whole_manifest_loads_as_known_kubernetes_kinds(string pool)
    {
        var rendered = RenderPool(pool);

        // Built-in kinds resolve by themselves; the map adds the kinds KubernetesClient has no model for (HTTPRoute).
        var typeMap = rendered.Objects
            .GroupBy(o => $"{o.ApiVersion}/{o.Kind}")
            .ToDictionary(g => g.Key, g => g.First().GetType());

        var loaded = KubernetesYaml.LoadAllFromString(ManifestWriter.ToYaml(rendered.Objects), typeMap, strict: true);

        loaded.Select(o => o.GetType()).Should().Equal(rendered.Objects.Select(o => o.GetType()));
    }

    /// <summary>
    /// kubectl parses the manifests with its own YAML reader (YAML 1.1 flavoured, where an unquoted `no` is
    /// false) and decodes them into its typed objects. `kubectl create --dry-run=client` would need an API server
    /// for discovery, which this machine cannot run, so the offline `kubectl label --local` reads the file instead
    /// (removing a label no object has changes nothing). What kubectl read must equal what was rendered.
    /// </summary>
    [Theory]
    [MemberData(nameof(Pools))]
    public async Task Kubectl_reads_the_manifests_as_they_were_rendered(string pool)
    {
        var kubectl = Tools.Path(Tools.Kubectl);
        var rendered = RenderPool(pool);
        var file = Path.Combine(Path.GetTempPath(), $"wspool-render-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(file, ManifestWriter.ToYaml(rendered.Objects));
        try
        {
            var (exitCode, stdout, stderr) = await RunAsync(kubectl,
                ["label", "--local", "-f", file, "-o", "json", "wspool.dev/kubectl-check-"]);

            exitCode.Should().Be(0, $"kubectl should accept the manifests:\n{stderr}");
            var read = ParseConcatenatedJson(stdout);
            read.Should().HaveCount(rendered.Objects.Count);
            for (var i = 0; i < read.Count; i++)
            {
                var expected = rendered.Objects[i];
                var actual = (IKubernetesObject<V1ObjectMeta>)DeserializeJson(read[i], expected.GetType());
                ManifestWriter.ToYaml(actual).Should().Be(ManifestWriter.ToYaml(expected), $"kubectl should read {expected.Kind}/{expected.Metadata.Name} as rendered");
            }
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static object DeserializeJson(string json, Type type) =>
        typeof(KubernetesJson).GetMethods()
            .Single(m => m.Name == nameof(KubernetesJson.Deserialize) && m.GetParameters()[0].ParameterType == typeof(string))
            .MakeGenericMethod(type)
            .Invoke(null, [json, null])!;

    private static object DeserializeStrict(string yaml, Type type) =>
        typeof(KubernetesYaml).GetMethod(nameof(KubernetesYaml.Deserialize), [typeof(string), typeof(bool)])!
            .MakeGenericMethod(type)
            .Invoke(null, [yaml, true])!;

    private static List<string> ParseConcatenatedJson(string text)
    {
        var documents = new List<string>();
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(text), new JsonReaderOptions { AllowMultipleValues = true });
        while (reader.Read())
        {
            using var document = JsonDocument.ParseValue(ref reader);
            documents.Add(document.RootElement.GetRawText());
        }
        return documents;
    }

    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string file, IEnumerable<string> arguments)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
            info.ArgumentList.Add(argument);
        // No kubeconfig: kubectl must not reach for any cluster in an offline check.
        info.Environment["KUBECONFIG"] = "/dev/null";
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("kubectl did not finish in 60 s");
        }
        return (process.ExitCode, await stdout, await stderr);
    }
}
