using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using k8s;
using k8s.Exceptions;
using WsPool.Operator.Hosting;

namespace WsPool.Operator.Tests.Hosting;

/// <summary>The operator's kubeconfig reader gives the same client configuration as KubernetesClient's own loader.</summary>
public sealed class KubeconfigFileTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("wspool-kubeconfig-");

    public void Dispose() => _dir.Delete(recursive: true);

    private string Write(string name, string content)
    {
        var path = Path.Combine(_dir.FullName, name);
        File.WriteAllText(path, content);
        return path;
    }

    private void WriteCertificateAuthority()
    {
        using var key = ECDsa.Create();
        var request = new CertificateRequest("CN=test-ca", key, HashAlgorithmName.SHA256);
        using var cert = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        Write("ca.crt", cert.ExportCertificatePem());
    }

    private string TokenScript => Path.Combine(_dir.FullName, "get-token");

    /// <summary>An exec credential plugin: the client runs it while building its configuration.</summary>
    private void WriteTokenScript()
    {
        File.WriteAllText(TokenScript, """
            #!/bin/sh
            echo "{\"apiVersion\":\"client.authentication.k8s.io/v1\",\"kind\":\"ExecCredential\",\"status\":{\"token\":\"exec-$REGION\"}}"
            """);
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(TokenScript, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    private string TwoContexts => $$"""
        apiVersion: v1
        kind: Config
        current-context: dev
        clusters:
        - name: dev
          cluster:
            server: https://dev.example.com:6443
            certificate-authority: ca.crt
        - name: prod
          cluster:
            server: https://prod.example.com
            insecure-skip-tls-verify: true
        contexts:
        - name: dev
          context: {cluster: dev, user: dev-user, namespace: chat}
        - name: prod
          context: {cluster: prod, user: prod-user}
        users:
        - name: dev-user
          user: {token: dev-token}
        - name: prod-user
          user:
            exec:
              apiVersion: client.authentication.k8s.io/v1
              command: {{TokenScript}}
              args: [--region]
              env: [{name: REGION, value: eu}]
        preferences: {}
        extensions:
        - name: example
          extension: {some: thing}
        """;

    private static object Facts(KubernetesClientConfiguration c) => new
    {
        c.Host,
        c.AccessToken,
        c.Namespace,
        c.SkipTlsVerify,
        c.CurrentContext,
        Ca = c.SslCaCerts?.Cast<X509Certificate2>().Select(x => x.Thumbprint).ToList(),
        TokenProvider = c.TokenProvider?.GetType().Name,
    };

    [Theory]
    [InlineData(null)]
    [InlineData("dev")]
    [InlineData("prod")]
    public void Reads_a_kubeconfig_as_KubernetesClient_does(string? context)
    {
        WriteCertificateAuthority();
        WriteTokenScript();
        var path = Write("config", TwoContexts);

        var ours = KubeconfigFile.Load(path, context);

        Facts(ours).Should().BeEquivalentTo(Facts(KubernetesClientConfiguration.BuildConfigFromConfigFile(path, context)));
        (ours.Host, ours.AccessToken).Should().Be(context == "prod"
            ? ("https://prod.example.com", "exec-eu")
            : ("https://dev.example.com:6443", "dev-token"));
    }

    [Fact]
    public void A_missing_file_is_reported_with_its_path()
    {
        var path = Path.Combine(_dir.FullName, "nope");

        var act = () => KubeconfigFile.Load(path, null);

        act.Should().Throw<FileNotFoundException>().WithMessage($"*{path}*");
    }

    [Fact]
    public void Malformed_yaml_is_a_kubeconfig_error_naming_the_file()
    {
        var path = Write("broken", "clusters: [unclosed\n");

        var act = () => KubeconfigFile.Load(path, null);

        act.Should().Throw<KubeConfigException>().WithMessage($"*{path}*");
    }

    [Fact]
    public void An_unknown_context_is_a_kubeconfig_error()
    {
        WriteCertificateAuthority();
        var path = Write("config", TwoContexts);

        var act = () => KubeconfigFile.Load(path, "staging");

        act.Should().Throw<KubeConfigException>();
    }
}
