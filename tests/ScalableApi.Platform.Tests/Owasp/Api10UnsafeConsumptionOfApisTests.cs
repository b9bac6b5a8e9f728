using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.IdentityModel.Tokens;
using ScalableApi.Platform.Observability;
using ScalableApi.Platform.Security;

namespace ScalableApi.Platform.Tests.Owasp;

/// <summary>
/// OWASP API Security Top 10 (2023), API10:2023 Unsafe Consumption of APIs: the one answer of another API every
/// service trusts is the users service's JWKS, and it is checked before it is believed. A service (here the
/// platform's probe app with its real JWKS client, on a real loopback issuer) keeps its last good key set when the
/// issuer answers too much, nothing usable, a private key or a redirect; so a token signed by a key that came that
/// way gets 401 and tokens of the good keys keep working. The other rules of consuming the JWKS (throttled
/// refetch on unknown kids, a failing issuer keeps the keys) are in <see cref="Security.JwksSigningKeySourceTests"/>.
/// </summary>
public sealed class Api10UnsafeConsumptionOfApisTests : IAsyncLifetime
{
    private readonly TestTokens _good = new();
    private readonly TestTokens _smuggled = new();
    private readonly CapturedLogStream _log = new();
    private LoopbackJwksServer _issuer = null!;
    private ProbeApp _app = null!;

    public async Task InitializeAsync()
    {
        _issuer = await LoopbackJwksServer.StartAsync();
        _issuer.Serve(_good);
        _app = await ProbeApp.StartAsync(
            settings: new Dictionary<string, string?>
            {
                ["Auth:JwksUrl"] = _issuer.JwksUrl,
                // Every unknown kid refetches at once, so each test sees the issuer's next answer.
                ["Auth:JwksRefreshMinInterval"] = "00:00:00",
                ["Auth:ValidatedTokenCacheSize"] = "0",
            },
            services: s =>
            {
                s.RemoveAll<ISigningKeySource>();
                s.AddSingleton<ISigningKeySource>(SecurityExtensions.CreateJwksSource);
                s.AddSingleton(new LogOutput(_log));
            });
        Assert.Equal(HttpStatusCode.OK, await SecureStatusAsync(_good));
    }

    public Task DisposeAsync() => Disposal.AllAsync(_app, _issuer, _good, _smuggled);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_key_set_over_64_KiB_is_refused_whether_or_not_it_declares_its_length(bool declared)
    {
        var padded = LoopbackJwksServer.KeySet(
            new object[] { LoopbackJwksServer.Public(_smuggled) }
                .Concat(Enumerable.Range(0, 400).Select(i => (object)new Dictionary<string, string> { ["kty"] = "EC", ["kid"] = $"filler-{i}", ["x"] = new string('A', 160) })));
        Assert.True(Encoding.UTF8.GetByteCount(padded) > JwksSigningKeySource.MaxResponseBytes);
        _issuer.Respond(async context =>
        {
            context.Response.ContentType = "application/json";
            if (declared)
            {
                context.Response.ContentLength = Encoding.UTF8.GetByteCount(padded);
            }

            await context.Response.WriteAsync(padded);
        });

        Assert.Equal(HttpStatusCode.Unauthorized, await SecureStatusAsync(_smuggled));
        Assert.Equal(HttpStatusCode.OK, await SecureStatusAsync(_good));
        await WarnedAsync("over 65536");
    }

    [Fact]
    public async Task An_empty_key_set_keeps_the_last_good_one_and_says_so()
    {
        _issuer.Respond(context => LoopbackJwksServer.WriteJson(context, "{\"keys\":[]}"));
        var before = _issuer.Requests;

        Assert.Equal(HttpStatusCode.Unauthorized, await SecureStatusAsync(_smuggled)); // unknown kid: refetches, gets []
        Assert.True(_issuer.Requests > before, "the unknown kid did not make the service ask the issuer again");
        Assert.Equal(HttpStatusCode.OK, await SecureStatusAsync(_good));
        await WarnedAsync("holds no usable ES256 signing key; keeping the 1 cached ones");
    }

    [Fact]
    public async Task A_redirect_from_the_JWKS_address_is_not_followed()
    {
        _issuer.Elsewhere = context => LoopbackJwksServer.WriteJson(context, LoopbackJwksServer.KeySet(_good, _smuggled));
        _issuer.Respond(context =>
        {
            context.Response.Redirect("/elsewhere/jwks.json");
            return Task.CompletedTask;
        });

        Assert.Equal(HttpStatusCode.Unauthorized, await SecureStatusAsync(_smuggled));
        Assert.Equal(HttpStatusCode.OK, await SecureStatusAsync(_good));
    }

    [Fact]
    public async Task A_key_set_publishing_a_private_key_or_keys_of_other_kinds_is_not_trusted()
    {
        var withPrivate = LoopbackJwksServer.Public(_smuggled);
        withPrivate["d"] = JsonWebKeyConverter.ConvertFromECDsaSecurityKey((ECDsaSecurityKey)_smuggled.SigningKey).D;
        Assert.False(string.IsNullOrEmpty(withPrivate["d"]));
        var symmetric = new Dictionary<string, string> { ["kty"] = "oct", ["kid"] = "shared-secret", ["k"] = Base64UrlEncoder.Encode(new byte[32]) };
        _issuer.Respond(context => LoopbackJwksServer.WriteJson(context, LoopbackJwksServer.KeySet([withPrivate, symmetric])));

        Assert.Equal(HttpStatusCode.Unauthorized, await SecureStatusAsync(_smuggled));
        Assert.Equal(HttpStatusCode.OK, await SecureStatusAsync(_good));
    }

    private async Task<HttpStatusCode> SecureStatusAsync(TestTokens signer)
    {
        using var client = _app.CreateClient(signer.Create(42));
        using var response = await client.GetAsync("/probe/secure");
        return response.StatusCode;
    }

    /// <summary>A warning containing <paramref name="text"/> reaches the log (written by a background thread).</summary>
    private Task WarnedAsync(string text) => Eventually.HoldsAsync(
        () => Task.FromResult(_log.Lines().Any(line =>
            line.TryGetProperty("@l", out var level) && level.GetString() == "Warning"
            && line.GetRawText().Contains(text, StringComparison.Ordinal))),
        $"a warning saying \"{text}\"");
}
