using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ScalableApi.Testing;

/// <summary>
/// A self-signed server certificate for 127.0.0.1 / localhost written as the files Kestrel's configuration reads
/// (PEM certificate + PEM key, and a PFX), and clients that trust exactly that certificate (a real TLS handshake,
/// no "accept anything" callback).
/// </summary>
public sealed class TestCertificates : IDisposable
{
    public const string PfxPassword = "test-pfx-password";

    private TestCertificates(string folder, X509Certificate2 certificate)
    {
        Folder = folder;
        Certificate = certificate;
    }

    public string Folder { get; }

    public X509Certificate2 Certificate { get; }

    public string CertificatePemPath => Path.Combine(Folder, "server-cert.pem");

    public string KeyPemPath => Path.Combine(Folder, "server-key.pem");

    public string PfxPath => Path.Combine(Folder, "server.pfx");

    public static TestCertificates Create()
    {
        var folder = Path.Combine(Path.GetTempPath(), "scalableapi-tests", "tls-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        var tls = new TestCertificates(folder, certificate);
        File.WriteAllText(tls.CertificatePemPath, certificate.ExportCertificatePem());
        File.WriteAllText(tls.KeyPemPath, key.ExportPkcs8PrivateKeyPem());
        File.WriteAllBytes(tls.PfxPath, certificate.Export(X509ContentType.Pfx, PfxPassword));
        return tls;
    }

    /// <summary>A handler whose TLS accepts the server only when it presents <paramref name="trusted"/> (by thumbprint).</summary>
    public static SocketsHttpHandler TrustingOnly(X509Certificate2 trusted) => new()
    {
        SslOptions = new SslClientAuthenticationOptions
        {
            RemoteCertificateValidationCallback = (_, presented, _, _) =>
                presented is not null && presented.GetCertHashString(HashAlgorithmName.SHA256) == trusted.GetCertHashString(HashAlgorithmName.SHA256),
        },
    };

    public void Dispose()
    {
        Certificate.Dispose();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // Temp files; the OS cleans up.
        }
    }
}
