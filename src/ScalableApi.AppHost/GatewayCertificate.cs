using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ScalableApi.AppHost;

/// <summary>
/// The gateway's certificate for <c>--https</c>: self-signed for localhost / 127.0.0.1 / ::1, made on first run in
/// <c>{data}/tls/</c> (PEM certificate + PEM key, which Kestrel's <c>Kestrel:Certificates:Default</c> reads) and
/// reused after, so a client that trusted it once keeps working; made again only when it is unreadable or within 30
/// days of expiry. Clients trust <see cref="CertificatePath"/> (e.g. <c>curl --cacert</c>).
/// </summary>
internal sealed record GatewayCertificate(string CertificatePath, string KeyPath, DateTimeOffset NotAfter, bool Created)
{
    public const string Folder = "tls";
    private static readonly TimeSpan Lifetime = TimeSpan.FromDays(365);
    private static readonly TimeSpan RenewBefore = TimeSpan.FromDays(30);

    public static GatewayCertificate Ensure(string dataDirectory, TimeProvider time)
    {
        var folder = Path.Combine(dataDirectory, Folder);
        var certificatePath = Path.Combine(folder, "gateway-cert.pem");
        var keyPath = Path.Combine(folder, "gateway-key.pem");
        var now = time.GetUtcNow();
        if (TryLoad(certificatePath, keyPath) is { } existing && existing > now + RenewBefore)
        {
            return new GatewayCertificate(certificatePath, keyPath, existing, Created: false);
        }

        Directory.CreateDirectory(folder);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=ScalableApi local gateway", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        names.AddIpAddress(IPAddress.IPv6Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1", "Server Authentication")], false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        using var certificate = request.CreateSelfSigned(now.AddMinutes(-5), now + Lifetime);

        // The key first and owner-only (0600); the certificate, which is public, last: a reader never sees a
        // certificate without its key.
        WriteOwnerOnly(keyPath, key.ExportPkcs8PrivateKeyPem());
        File.WriteAllText(certificatePath, certificate.ExportCertificatePem());
        return new GatewayCertificate(certificatePath, keyPath, certificate.NotAfter.ToUniversalTime(), Created: true);
    }

    /// <summary>The expiry of a readable certificate + key pair, or null.</summary>
    private static DateTimeOffset? TryLoad(string certificatePath, string keyPath)
    {
        if (!File.Exists(certificatePath) || !File.Exists(keyPath))
        {
            return null;
        }

        try
        {
            using var pair = X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
            return pair.HasPrivateKey ? pair.NotAfter.ToUniversalTime() : null;
        }
        catch (CryptographicException)
        {
            return null;
        }
    }

    private static void WriteOwnerOnly(string path, string text)
    {
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(path, options))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(text);
        }

        if (!OperatingSystem.IsWindows())
        {
            // UnixCreateMode applies to new files only; an old key file keeps its mode otherwise.
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }
}
