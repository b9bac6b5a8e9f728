using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace ScalableApi.Platform.Tests.Security;

/// <summary>
/// HTTPS from configuration alone (Kestrel's own <c>Kestrel:Endpoints</c> / <c>Kestrel:Certificates</c> keys, as the
/// README documents them), over a real TLS connection that trusts only the configured certificate; HSTS on HTTPS
/// responses and never on plain HTTP ones. Requests name a real host (<see cref="Host"/>): like ASP.NET Core's own
/// UseHsts, the header is left off for localhost, 127.0.0.1 and [::1], which a browser must not pin.
/// </summary>
public sealed class HttpsTests : IDisposable
{
    private const string Host = "api.example.test";
    private readonly TestCertificates _tls = TestCertificates.Create();

    public void Dispose() => _tls.Dispose();

    [Fact]
    public async Task A_pem_certificate_and_key_serve_https_with_hsts_beside_plain_http_without()
    {
        await using var app = await ProbeApp.StartAsync(kestrel: true, settings: new Dictionary<string, string?>
        {
            ["Kestrel:Endpoints:Http:Url"] = "http://127.0.0.1:0",
            ["Kestrel:Endpoints:Https:Url"] = "https://127.0.0.1:0",
            ["Kestrel:Endpoints:Https:Certificate:Path"] = _tls.CertificatePemPath,
            ["Kestrel:Endpoints:Https:Certificate:KeyPath"] = _tls.KeyPemPath,
        });

        using var https = new HttpClient(TestCertificates.TrustingOnly(_tls.Certificate)) { BaseAddress = Address(app, "https") };
        using var secure = await https.SendAsync(Named("/probe/items/1"));
        using var plain = new HttpClient { BaseAddress = Address(app, "http") };
        using var insecure = await plain.SendAsync(Named("/probe/items/1"));
        using var local = await https.GetAsync("/probe/items/1");

        Assert.Equal(HttpStatusCode.OK, secure.StatusCode);
        Assert.StartsWith("max-age=", Assert.Single(secure.Headers.GetValues("Strict-Transport-Security")), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, insecure.StatusCode);
        Assert.False(insecure.Headers.Contains("Strict-Transport-Security"));
        Assert.Equal(HttpStatusCode.OK, local.StatusCode);
        Assert.False(local.Headers.Contains("Strict-Transport-Security"));
    }

    [Fact]
    public async Task A_pfx_as_the_default_certificate_serves_https_urls_without_one_of_their_own()
    {
        await using var app = await ProbeApp.StartAsync(kestrel: true, settings: new Dictionary<string, string?>
        {
            ["Kestrel:Endpoints:Https:Url"] = "https://127.0.0.1:0",
            ["Kestrel:Certificates:Default:Path"] = _tls.PfxPath,
            ["Kestrel:Certificates:Default:Password"] = TestCertificates.PfxPassword,
        });

        using var https = new HttpClient(TestCertificates.TrustingOnly(_tls.Certificate)) { BaseAddress = Address(app, "https") };
        using var response = await https.SendAsync(Named("/health/live"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.Headers.Contains("Strict-Transport-Security"));
    }

    [Fact]
    public async Task A_client_that_does_not_trust_the_certificate_is_refused_the_handshake()
    {
        await using var app = await ProbeApp.StartAsync(kestrel: true, settings: new Dictionary<string, string?>
        {
            ["Kestrel:Endpoints:Https:Url"] = "https://127.0.0.1:0",
            ["Kestrel:Endpoints:Https:Certificate:Path"] = _tls.CertificatePemPath,
            ["Kestrel:Endpoints:Https:Certificate:KeyPath"] = _tls.KeyPemPath,
        });
        using var other = TestCertificates.Create();

        using var https = new HttpClient(TestCertificates.TrustingOnly(other.Certificate)) { BaseAddress = Address(app, "https") };

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => https.GetAsync("/health/live"));
        Assert.IsType<System.Security.Authentication.AuthenticationException>(error.InnerException);
    }

    private static HttpRequestMessage Named(string path)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Host = Host;
        return request;
    }

    private static Uri Address(ProbeApp app, string scheme) => new(app.Services.GetRequiredService<IServer>().Features
        .Get<IServerAddressesFeature>()!.Addresses.Single(a => a.StartsWith(scheme + "://", StringComparison.Ordinal)));
}
