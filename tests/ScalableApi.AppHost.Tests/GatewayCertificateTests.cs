using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Time.Testing;

namespace ScalableApi.AppHost.Tests;

/// <summary><c>--https</c>'s certificate: made on first run in the data directory, reused after, remade near expiry.</summary>
public sealed class GatewayCertificateTests : IDisposable
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), "scalableapi-tests", "tls-" + Guid.NewGuid().ToString("N"));
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);

    public void Dispose() => Directory.Delete(_data, recursive: true);

    [Fact]
    public void The_first_run_makes_a_loopback_server_certificate_with_an_owner_only_key()
    {
        var made = GatewayCertificate.Ensure(_data, _time);

        Assert.True(made.Created);
        Assert.Equal(Path.Combine(_data, "tls", "gateway-cert.pem"), made.CertificatePath);
        using var certificate = X509Certificate2.CreateFromPemFile(made.CertificatePath, made.KeyPath);
        Assert.True(certificate.HasPrivateKey);
        Assert.True(certificate.MatchesHostname("localhost"));
        Assert.True(certificate.MatchesHostname("127.0.0.1"));
        Assert.Contains(certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().Single().EnhancedKeyUsages.Cast<System.Security.Cryptography.Oid>(),
            oid => oid.Value == "1.3.6.1.5.5.7.3.1");
        Assert.False(certificate.Extensions.OfType<X509BasicConstraintsExtension>().Single().CertificateAuthority);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(made.KeyPath));
        }
    }

    [Fact]
    public void Later_runs_reuse_it_until_30_days_before_expiry()
    {
        var first = GatewayCertificate.Ensure(_data, _time);
        var pem = File.ReadAllText(first.CertificatePath);

        _time.Advance(TimeSpan.FromDays(300));
        var reused = GatewayCertificate.Ensure(_data, _time);
        var reusedPem = File.ReadAllText(reused.CertificatePath);
        _time.Advance(TimeSpan.FromDays(40));
        var renewed = GatewayCertificate.Ensure(_data, _time);

        Assert.False(reused.Created);
        Assert.Equal(pem, reusedPem);
        Assert.True(renewed.Created);
        Assert.NotEqual(pem, File.ReadAllText(renewed.CertificatePath));
        Assert.True(renewed.NotAfter > _time.GetUtcNow().AddDays(300));
    }

    [Fact]
    public void A_damaged_pair_is_made_again()
    {
        var first = GatewayCertificate.Ensure(_data, _time);
        File.WriteAllText(first.KeyPath, "not a key");

        var again = GatewayCertificate.Ensure(_data, _time);

        Assert.True(again.Created);
        using var certificate = X509Certificate2.CreateFromPemFile(again.CertificatePath, again.KeyPath);
        Assert.True(certificate.HasPrivateKey);
    }
}
