using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace WsPool.Balancers.Tests.Support;

/// <summary>A self-signed certificate written as a kubernetes.io/tls Secret would be mounted: tls.crt and tls.key.</summary>
public static class TestCertificate
{
    private static readonly Lazy<(string Cert, string Key)> Pem = new(Create);

    public static void WriteTo(string directory)
    {
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "tls.crt"), Pem.Value.Cert);
        File.WriteAllText(Path.Combine(directory, "tls.key"), Pem.Value.Key);
    }

    private static (string, string) Create()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("localhost");
        san.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        using var cert = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        return (cert.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem());
    }
}
