using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.Tokens;
using ScalableApi.Platform.Security;

namespace ScalableApi.Platform.Tests.Security;

/// <summary>
/// A token that validated once is remembered, so later requests skip the signature check; what a remembered token
/// must still fail on: its expiry on the platform's clock, its signing key leaving the JWKS, a changed byte.
/// </summary>
public sealed class ValidatedTokenCacheTests
{
    [Fact]
    public async Task A_remembered_token_is_refused_once_it_expires_on_the_platform_clock()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var app = await StartAsync(clock);
        var token = app.Tokens.Create(7, lifetime: TimeSpan.FromMinutes(10), now: clock.GetUtcNow().UtcDateTime);
        using var client = app.CreateClient(token);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/probe/secure", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/probe/secure", UriKind.Relative))).StatusCode);

        // Past expiry plus the 30 s clock skew: the remembered entry and a fresh validation both say no.
        clock.Advance(TimeSpan.FromMinutes(11));

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync(new Uri("/probe/secure", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task A_remembered_token_is_refused_once_its_signing_key_is_withdrawn()
    {
        var keys = new WithdrawableKeys();
        await using var app = await StartAsync(TimeProvider.System, keys);
        keys.Publish(app.Tokens.GetKeys());
        using var client = app.CreateClient(app.Tokens.Create(7));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/probe/secure", UriKind.Relative))).StatusCode);

        keys.Publish([]);

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync(new Uri("/probe/secure", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task A_token_with_one_byte_changed_is_refused_after_the_original_was_remembered()
    {
        await using var app = await StartAsync(TimeProvider.System);
        var token = app.Tokens.Create(7, role: "user");
        using (var client = app.CreateClient(token))
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/probe/secure", UriKind.Relative))).StatusCode);
        }

        // Same header and signature, the payload's last character changed (another user or role in a real attack).
        var parts = token.Split('.');
        var payload = parts[1][..^1] + (parts[1][^1] == 'A' ? 'B' : 'A');
        using var forged = app.CreateClient($"{parts[0]}.{payload}.{parts[2]}");

        Assert.Equal(HttpStatusCode.Unauthorized, (await forged.GetAsync(new Uri("/probe/secure", UriKind.Relative))).StatusCode);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("10000")]
    public async Task Tokens_validate_with_the_cache_on_or_off(string size)
    {
        await using var app = await ProbeApp.StartAsync(settings: new Dictionary<string, string?> { ["Auth:ValidatedTokenCacheSize"] = size });
        using var user = app.CreateClient(app.Tokens.Create(7));
        using var admin = app.CreateClient(app.Tokens.Admin());

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal("{\"id\":7}", await user.GetStringAsync(new Uri("/probe/secure", UriKind.Relative)));
            Assert.Equal(HttpStatusCode.Forbidden, (await user.GetAsync(new Uri("/probe/admin", UriKind.Relative))).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync(new Uri("/probe/admin", UriKind.Relative))).StatusCode);
        }
    }

    private static Task<ProbeApp> StartAsync(TimeProvider clock, ISigningKeySource? keys = null) =>
        ProbeApp.StartAsync(services: services =>
        {
            services.RemoveAll<TimeProvider>();
            services.AddSingleton(clock);
            if (keys is not null)
            {
                services.RemoveAll<ISigningKeySource>();
                services.AddSingleton(keys);
            }
        });

    /// <summary>A JWKS whose keys the test replaces, as a rotation that withdraws a key would.</summary>
    private sealed class WithdrawableKeys : ISigningKeySource
    {
        private volatile IReadOnlyList<SecurityKey> _keys = [];

        public void Publish(IReadOnlyList<SecurityKey> keys) => _keys = keys;

        public IReadOnlyList<SecurityKey> GetKeys() => _keys;

        public ValueTask EnsureKeyAsync(string? keyId, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }
}
