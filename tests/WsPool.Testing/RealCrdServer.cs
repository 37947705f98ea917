using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace WsPool.Testing;

/// <summary>
/// The real Kubernetes 1.36 apiextensions-apiserver (the server's own CRD validation, defaulting, pruning, CEL and
/// server-side apply) on a random loopback port, backed by its own etcd 3.5, for one test class or collection.
/// Both processes come from <c>make deps</c> (tests/deps/provision) and are killed, and their files removed, on
/// dispose. It serves CRDs and custom resources only: no Namespaces, ConfigMaps or other core/v1 kinds.
/// <para>
/// Clients authenticate with a client certificate in the <c>system:masters</c> group, which the server's delegated
/// authorizer always allows, so no RBAC is needed; the kubeconfig it writes works for kubectl, helm and
/// KubernetesClient alike.
/// </para>
/// </summary>
public sealed class RealCrdServer : IAsyncDisposable
{
    public const string Version = "v1.36.4";

    private readonly string _root;
    private readonly List<ManagedProcess> _processes = [];
    private readonly HttpMessageHandler _handler;

    private RealCrdServer(string root, int port, X509Certificate2 clientCertificate)
    {
        _root = root;
        Port = port;
        _handler = new SocketsHttpHandler
        {
            SslOptions =
            {
                ClientCertificates = new X509CertificateCollection { clientCertificate },
                // The server's serving certificate is self-signed, made at start-up in its cert dir.
                RemoteCertificateValidationCallback = (_, _, _, _) => true,
            },
        };
    }

    public int Port { get; }
    public Uri Url => new($"https://127.0.0.1:{Port}");

    /// <summary>A kubeconfig file for this server (client certificate embedded, server certificate not verified).</summary>
    public string Kubeconfig => Path.Combine(_root, "kubeconfig");

    /// <summary>What both processes wrote so far, for failure messages.</summary>
    public string Output => string.Join("\n", _processes.Select(p => p.Output));

    public static async Task<RealCrdServer> StartAsync(TimeSpan? timeout = null)
    {
        var root = Directory.CreateTempSubdirectory("wspool-crd-server-").FullName;
        var (ca, client, clientKeyPem) = Certificates();
        await File.WriteAllTextAsync(Path.Combine(root, "ca.crt"), ca.ExportCertificatePem());
        var ports = FreePort.NextDistinct(3);
        var port = ports[0];
        await File.WriteAllTextAsync(Path.Combine(root, "kubeconfig"), KubeconfigYaml(port, client.ExportCertificatePem(), clientKeyPem));

        var server = new RealCrdServer(root, port, X509CertificateLoader.LoadPkcs12(client.Export(X509ContentType.Pkcs12), null));
        try
        {
            await server.StartProcessesAsync(ports[1], ports[2], timeout ?? TimeSpan.FromSeconds(60));
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>An HTTP client for the server's API, authenticated as a cluster admin.</summary>
    public HttpClient CreateHttpClient() => new(_handler, disposeHandler: false) { BaseAddress = Url };

    /// <summary>
    /// Runs kubectl (the version <c>make deps</c> provides) against this server, with a discovery and OpenAPI cache of
    /// its own: kubectl's shared cache is keyed by host and port, and a port reused by another run's server would
    /// answer from that server's cache.
    /// </summary>
    public Task<ToolRun.Result> KubectlAsync(params string[] arguments) =>
        ToolRun.RunAsync(Tools.Path(Tools.Kubectl),
            ["--kubeconfig", Kubeconfig, "--cache-dir", Path.Combine(_root, "kubectl-cache"), "--request-timeout=30s", .. arguments],
            TimeSpan.FromMinutes(1), workingDirectory: Repository.Root);

    /// <summary>
    /// Waits until the CRD is Established. Not `kubectl wait`: on a CRD created a moment ago whose status has no
    /// conditions yet, kubectl 1.35 fails at once (".status.conditions accessor error: &lt;nil&gt;") instead of waiting.
    /// </summary>
    public async Task WaitForEstablishedAsync(string crdName, TimeSpan? timeout = null)
    {
        using var http = CreateHttpClient();
        await Eventually.ValueAsync(async () =>
            {
                using var response = await http.GetAsync($"/apis/apiextensions.k8s.io/v1/customresourcedefinitions/{crdName}");
                return (Code: (int)response.StatusCode, Body: await response.Content.ReadAsStringAsync());
            },
            read => read.Code == 200 && System.Text.Json.Nodes.JsonNode.Parse(read.Body)?["status"]?["conditions"]?.AsArray()
                .Any(c => c?["type"]?.GetValue<string>() == "Established" && c["status"]?.GetValue<string>() == "True") == true,
            $"CRD {crdName} Established", timeout ?? TimeSpan.FromSeconds(30),
            read => $"{read.Code}: {read.Body}");
    }

    private async Task StartProcessesAsync(int clientPort, int peerPort, TimeSpan timeout)
    {
        var etcd = ManagedProcess.Start(Tools.Path(Tools.Etcd), [
            "--data-dir", Path.Combine(_root, "etcd"),
            "--listen-client-urls", $"http://127.0.0.1:{clientPort}", "--advertise-client-urls", $"http://127.0.0.1:{clientPort}",
            "--listen-peer-urls", $"http://127.0.0.1:{peerPort}", "--initial-advertise-peer-urls", $"http://127.0.0.1:{peerPort}",
            "--initial-cluster", $"default=http://127.0.0.1:{peerPort}",
            // Test data: durability buys nothing and fsync costs seconds on a busy disk.
            "--unsafe-no-fsync", "--log-level", "warn",
        ]);
        _processes.Add(etcd);
        await etcd.WaitForPortAsync("127.0.0.1", clientPort, timeout);

        var kubeconfig = Kubeconfig;
        _processes.Add(ManagedProcess.Start(Tools.Path(Tools.CrdServer), [
            "--etcd-servers", $"http://127.0.0.1:{clientPort}",
            "--bind-address", "127.0.0.1", "--secure-port", Port.ToString(),
            "--cert-dir", Path.Combine(_root, "serving"),
            "--client-ca-file", Path.Combine(_root, "ca.crt"),
            // The server asks itself (as system:masters) where a cluster would ask kube-apiserver.
            "--kubeconfig", kubeconfig, "--authentication-kubeconfig", kubeconfig, "--authorization-kubeconfig", kubeconfig,
            "--authentication-skip-lookup",
            // No core/v1 here: these plugins would look up Namespaces and webhook configurations that cannot exist.
            "--disable-admission-plugins=NamespaceLifecycle,MutatingAdmissionPolicy,MutatingAdmissionWebhook,ValidatingAdmissionPolicy,ValidatingAdmissionWebhook",
            "--enable-priority-and-fairness=false",
        ]));
        await WaitUntilReadyAsync(timeout);
    }

    private async Task WaitUntilReadyAsync(TimeSpan timeout)
    {
        using var http = CreateHttpClient();
        http.Timeout = TimeSpan.FromSeconds(5);
        var deadline = DateTime.UtcNow + timeout;
        var last = "no answer yet";
        while (DateTime.UtcNow < deadline)
        {
            var exited = _processes.FirstOrDefault(p => p.HasExited);
            if (exited is not null)
                throw new InvalidOperationException($"a process of the CRD server exited with {exited.ExitCode}:\n{Output}");
            try
            {
                // Plain /readyz never passes: the informer-sync check waits for core/v1 informers this server lacks.
                using var response = await http.GetAsync("/readyz?exclude=informer-sync");
                if (response.IsSuccessStatusCode) return;
                last = $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}";
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                last = e.Message;
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"the CRD server was not ready within {timeout}; last /readyz: {last}\n{Output}");
    }

    private static (X509Certificate2 Ca, X509Certificate2 Client, string ClientKeyPem) Certificates()
    {
        var notBefore = DateTimeOffset.UtcNow.AddHours(-1);
        var notAfter = DateTimeOffset.UtcNow.AddDays(2);
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=wspool-test-ca", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        var ca = caRequest.CreateSelfSigned(notBefore, notAfter);

        var clientKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var clientRequest = new CertificateRequest("CN=wspool-test, O=system:masters", clientKey, HashAlgorithmName.SHA256);
        clientRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        clientRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false));
        var client = clientRequest.Create(ca, notBefore, notAfter, RandomNumberGenerator.GetBytes(16)).CopyWithPrivateKey(clientKey);
        return (ca, client, clientKey.ExportPkcs8PrivateKeyPem());
    }

    private static string KubeconfigYaml(int port, string certificatePem, string keyPem)
    {
        static string Base64(string pem) => Convert.ToBase64String(Encoding.ASCII.GetBytes(pem));
        return $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: crd-server
              cluster:
                server: https://127.0.0.1:{port}
                insecure-skip-tls-verify: true
            users:
            - name: admin
              user:
                client-certificate-data: {Base64(certificatePem)}
                client-key-data: {Base64(keyPem)}
            contexts:
            - name: crd-server
              context:
                cluster: crd-server
                user: admin
            current-context: crd-server
            """;
    }

    public async ValueTask DisposeAsync()
    {
        for (var i = _processes.Count - 1; i >= 0; i--) await _processes[i].DisposeAsync();
        _handler.Dispose();
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // a file still held open by a dying process: the temp folder is cleaned by the OS eventually
        }
    }
}
