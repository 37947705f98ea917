using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using k8s.Models;

namespace WsPool.Local.Session;

/// <summary>
/// A pool with TLS names a Secret its balancer mounts; in a cluster someone (cert-manager, a person) creates it. On
/// one machine there is no one, so the session creates a self-signed certificate for a Secret that does not exist,
/// and says so: clients must then skip verification (`wsload --insecure`, a browser's warning).
/// </summary>
public static class SelfSignedTls
{
    public static V1Secret Secret(string ns, string name, IEnumerable<string> hostNames)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN=wspool-local {name}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("localhost");
        foreach (var host in hostNames.Distinct()) san.AddDnsName(host);
        san.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        var now = DateTimeOffset.UtcNow;
        using var certificate = request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(30));
        return new V1Secret
        {
            ApiVersion = "v1",
            Kind = "Secret",
            Metadata = new V1ObjectMeta
            {
                Name = name,
                NamespaceProperty = ns,
                Annotations = new Dictionary<string, string> { ["wspool.dev/local-self-signed"] = "true" },
            },
            Type = "kubernetes.io/tls",
            StringData = new Dictionary<string, string>
            {
                ["tls.crt"] = certificate.ExportCertificatePem() + "\n",
                ["tls.key"] = key.ExportPkcs8PrivateKeyPem() + "\n",
            },
        };
    }
}
