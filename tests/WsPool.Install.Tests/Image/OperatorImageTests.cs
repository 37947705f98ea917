using System.Net;
using System.Text.RegularExpressions;
using WsPool.Install.Tests.Support;
using WsPool.Testing;

namespace WsPool.Install.Tests.Image;

/// <summary>
/// No Docker engine runs here, so the image is verified as far as it can be: the operator is published with the
/// exact `dotnet publish` line of src/WsPool.Operator/Dockerfile, started the way the image's ENTRYPOINT starts it,
/// with the Dockerfile's environment, against the API emulator, and must answer /healthz and then /readyz.
/// </summary>
public sealed partial class OperatorImageTests
{
    private static readonly string Dockerfile = Repo.Read("src", "WsPool.Operator", "Dockerfile");
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };

    [Fact]
    public void The_dockerfile_pins_its_base_images_and_runs_as_non_root()
    {
        var froms = FromLine().Matches(Dockerfile).Select(m => m.Groups[1].Value).ToList();

        froms.Should().HaveCount(2);
        froms.Should().OnlyContain(image => Regex.IsMatch(image, @":\d+\.\d+\.\d+"), "base images carry exact version tags");
        froms[^1].Should().Contain("chiseled", "the runtime image has no shell or package manager");
        Dockerfile.Should().MatchRegex(@"(?m)^USER \d+");
        Dockerfile.Should().Contain("ENTRYPOINT [\"dotnet\", \"WsPool.Operator.dll\"]");
    }

    [Fact]
    public async Task The_published_operator_answers_healthz_and_then_readyz_against_the_emulator()
    {
        var output = Directory.CreateTempSubdirectory("wspool-operator-publish-").FullName;
        var kubeconfig = Path.Combine(output, "kubeconfig");
        try
        {
            var publish = await ToolRun.RunAsync("dotnet", PublishArguments(output), TimeSpan.FromMinutes(5), workingDirectory: Repo.Root);
            publish.ExitCode.Should().Be(0, publish.Stdout + publish.Stderr);
            File.Exists(Path.Combine(output, "WsPool.Operator.dll")).Should().BeTrue();

            await using var api = await EmulatedCluster.StartAsync();
            EmulatorKubeconfig.Write(api, kubeconfig);
            var ports = FreePort.NextDistinct(2);
            var (health, metrics) = (ports[0], ports[1]);
            var environment = new Dictionary<string, string>(DockerfileEnvironment()) { ["POD_NAMESPACE"] = "default" };
            await using var process = ManagedProcess.Start(ChatServerProcess.DotnetHost(),
                [Path.Combine(output, "WsPool.Operator.dll"), $"--kubeconfig={kubeconfig}", "--bind-address=127.0.0.1",
                 $"--health-port={health}", $"--metrics-port={metrics}", "--leader-election=false"],
                environment, workingDirectory: output);

            await process.WaitForPortAsync("127.0.0.1", health, TimeSpan.FromSeconds(30));
            (await StatusOfAsync($"http://127.0.0.1:{health}/healthz")).Should().Be(HttpStatusCode.OK, process.Output);
            // Ready once the caches have synced, which takes the first lists: waited for, not read once.
            await Eventually.ValueAsync(() => StatusOfAsync($"http://127.0.0.1:{health}/readyz"), status => status == HttpStatusCode.OK,
                "/readyz to answer 200", TimeSpan.FromSeconds(30), status => $"{status?.ToString() ?? "no answer"}; operator output:\n{process.Output}",
                TimeSpan.FromMilliseconds(200));
            (await Http.GetStringAsync($"http://127.0.0.1:{metrics}/metrics")).Should().Contain("wspool_");
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }

    /// <summary>The Dockerfile's publish arguments, with the output redirected here and restore left on (no prior restore step).</summary>
    private static List<string> PublishArguments(string output)
    {
        var line = Dockerfile.Split('\n').Single(l => l.StartsWith("RUN dotnet publish ", StringComparison.Ordinal));
        var args = line["RUN dotnet ".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList();
        args.Remove("--no-restore");
        var o = args.IndexOf("-o");
        args[o + 1] = output;
        args[args.IndexOf("src/WsPool.Operator/WsPool.Operator.csproj")] = Repo.Path("src", "WsPool.Operator", "WsPool.Operator.csproj");
        return args;
    }

    private static IEnumerable<KeyValuePair<string, string>> DockerfileEnvironment() =>
        EnvPair().Matches(Dockerfile).Select(m => KeyValuePair.Create(m.Groups[1].Value, m.Groups[2].Value));

    private static async Task<HttpStatusCode?> StatusOfAsync(string url)
    {
        try
        {
            using var response = await Http.GetAsync(url);
            return response.StatusCode;
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    [GeneratedRegex(@"(?m)^FROM (\S+)")] private static partial Regex FromLine();
    [GeneratedRegex(@"(DOTNET_\w+)=(\S+)")] private static partial Regex EnvPair();
}
