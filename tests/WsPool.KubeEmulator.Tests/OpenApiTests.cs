using System.Diagnostics;
using System.Net;
using static WsPool.KubeEmulator.Tests.RawApi;

namespace WsPool.KubeEmulator.Tests;

/// <summary>The OpenAPI v3 documents of custom resources (what kubectl explain and kubectl's field validation read).</summary>
public sealed class OpenApiTests
{
    private const string Schema = """  "replicas":{"type":"integer","description":"How many things."}  """;

    [Fact]
    public async Task Openapi_v3_index_lists_each_custom_group_version_with_a_hashed_url()
    {
        await using var api = await KubeApiEmulator.StartAsync();
        using var raw = new RawApi(api);
        await raw.InstallCrd(Root(Schema));

        var index = await raw.Get("/openapi/v3");

        index.Code.Should().Be(HttpStatusCode.OK);
        index.Body["paths"]!["apis/example.com/v1"]!["serverRelativeURL"]!.GetValue<string>().Should().StartWith("/openapi/v3/apis/example.com/v1?hash=");
    }

    [Fact]
    public async Task Group_version_document_holds_the_crd_schema_tagged_with_its_kind()
    {
        await using var api = await KubeApiEmulator.StartAsync();
        using var raw = new RawApi(api);
        await raw.InstallCrd(Root(Schema));

        var document = await raw.Get("/openapi/v3/apis/example.com/v1");

        var thing = document.Body["components"]!["schemas"]!["com.example.v1.Thing"]!;
        thing["x-kubernetes-group-version-kind"]![0]!["kind"]!.GetValue<string>().Should().Be("Thing");
        thing["properties"]!["spec"]!["properties"]!["replicas"]!["description"]!.GetValue<string>().Should().Be("How many things.");
        document.Body["paths"]!["/apis/example.com/v1/namespaces/{namespace}/things/{name}"]!["patch"]!["parameters"]!.AsArray()
            .Select(p => p!["name"]!.GetValue<string>()).Should().Contain("fieldValidation");
    }

    [Fact]
    public async Task Kubectl_explain_reads_a_custom_field_description()
    {
        var kubectl = Environment.GetEnvironmentVariable("PATH")!.Split(':').Select(d => Path.Combine(d, "kubectl")).FirstOrDefault(File.Exists);
        if (kubectl is null) return; // kubectl is not on this machine: nothing to check against
        await using var api = await KubeApiEmulator.StartAsync();
        using var raw = new RawApi(api);
        await raw.InstallCrd(Root(Schema));
        var kubeconfig = Path.GetTempFileName();
        try
        {
            api.WriteKubeconfig(kubeconfig);
            var start = new ProcessStartInfo(kubectl, ["--kubeconfig", kubeconfig, "explain", "things.spec.replicas"])
            {
                RedirectStandardOutput = true, RedirectStandardError = true,
            };
            using var process = Process.Start(start)!;
            var output = await process.StandardOutput.ReadToEndAsync();
            var error = await process.StandardError.ReadToEndAsync();
            (await Task.Run(() => process.WaitForExit(30_000))).Should().BeTrue("kubectl explain finishes");

            process.ExitCode.Should().Be(0, error);
            output.Should().Contain("How many things.");
        }
        finally
        {
            File.Delete(kubeconfig);
        }
    }
}
