using WsPool.Install.Tests.Support;

namespace WsPool.Install.Tests.RealServer;

/// <summary>
/// The install step a user takes first, on the real Kubernetes 1.36 apiextensions-apiserver (a fresh one per test):
/// the server validates every default against its schema and CEL rules, which our emulator once did not.
/// </summary>
public sealed class CrdInstallTests : IAsyncLifetime
{
    private RealCrdServer _server = null!;

    public async Task InitializeAsync() => _server = await RealCrdServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task The_readme_install_command_applies_the_crd_with_no_warning()
    {
        var result = await _server.KubectlAsync("apply", "--server-side", "-k", Repo.Path("crds"));

        result.ExitCode.Should().Be(0, result.ToString());
        result.Stdout.Trim().Should().Be("customresourcedefinition.apiextensions.k8s.io/websocketpools.wspool.dev serverside-applied");
        result.Stderr.Should().BeEmpty("the server must raise no warning about the CRD");
        await _server.WaitForEstablishedAsync("websocketpools.wspool.dev");
    }

    [Fact]
    public async Task The_crd_that_helm_installs_applies_with_no_warning()
    {
        var template = await ToolRun.RunAsync(Tools.Path(Tools.Helm),
            ["template", "wspool", Repo.Chart(), "--include-crds", "--namespace", "wspool-system"], TimeSpan.FromMinutes(1));
        template.ExitCode.Should().Be(0, template.ToString());
        var crd = HelmOutput.Documents(template.Stdout).Single(d => d.Contains("kind: CustomResourceDefinition"));
        var file = Path.Combine(Path.GetTempPath(), $"wspool-helm-crd-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(file, crd);
        try
        {
            var result = await _server.KubectlAsync("apply", "--server-side", "-f", file);

            result.ExitCode.Should().Be(0, result.ToString());
            result.Stderr.Should().BeEmpty("the server must raise no warning about the CRD");
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>
    /// The CRD that a real 1.36 cluster refused (its nested <c>default: {}</c> values break the CRD's own rules) is
    /// kept as a fixture: the server must keep refusing it with the same six errors, or these tests have stopped
    /// meeting the real validation.
    /// </summary>
    [Fact]
    public async Task The_crd_kubernetes_1_36_rejected_is_still_rejected_with_its_six_default_errors()
    {
        var result = await _server.KubectlAsync("apply", "--server-side", "-f",
            Repo.Path("tests", "fixtures", "crd", "websocketpools-rejected-by-1.36.yaml"));

        result.ExitCode.Should().NotBe(0);
        const string prefix = "spec.validation.openAPIV3Schema.properties[spec].properties";
        var errors = result.Stderr.Split('\n').Where(l => l.StartsWith("* ", StringComparison.Ordinal)).Select(l => l[2..]).ToList();
        errors.Should().BeEquivalentTo(
        [
            $"{prefix}[affinity].default: Invalid value: \"object\": no such key: type evaluating rule: header is required when type is Header",
            $"{prefix}[affinity].default: Invalid value: \"object\": no such key: type evaluating rule: queryParam is required when type is QueryParam",
            $"{prefix}[balancer].default: Invalid value: \"object\": no such key: type evaluating rule: ingress is required when type is Ingress",
            $"{prefix}[balancer].default: Invalid value: \"object\": no such key: type evaluating rule: gateway is required when type is Gateway",
            $"{prefix}[broker].default: Invalid value: \"object\": no such key: type evaluating rule: external is required when type is External",
            $"{prefix}[connections].default: Invalid value: \"object\": no such key: target evaluating rule: target must be less than or equal to limit",
        ], result.ToString());
    }
}
