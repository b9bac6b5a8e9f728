using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ScalableApi.Platform.Tests.Security;

/// <summary>Only ES256 tokens of our issuer and audience, signed by a known key and unexpired, get in.</summary>
public sealed class JwtValidationTests(ProbeAppFixture fixture) : IClassFixture<ProbeAppFixture>
{
    private ProbeApp App => fixture.App;

    [Fact]
    public async Task Valid_token_is_accepted_and_carries_the_user_id()
    {
        using var client = App.CreateClient(App.Tokens.Create(42));
        var body = await client.GetStringAsync("/probe/secure");
        Assert.Equal("{\"id\":42}", body);
    }

    [Fact]
    public async Task Admin_token_passes_the_admin_policy()
    {
        using var client = App.CreateClient(App.Tokens.Admin());
        using var response = await client.GetAsync("/probe/admin");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Expired_token_is_rejected() => await AssertRejected(App.Tokens.Expired(42));

    [Fact]
    public async Task Token_signed_by_an_unknown_key_is_rejected()
    {
        using var other = new TestTokens();
        await AssertRejected(other.Create(42, "admin"));
    }

    [Fact]
    public async Task Token_for_another_audience_is_rejected()
    {
        using var other = new TestTokens(audience: "someone-else");
        await AssertRejected(other.Create(42));
    }

    [Fact]
    public async Task Unsigned_alg_none_token_is_rejected()
    {
        var header = Base64UrlEncoder.Encode("{\"alg\":\"none\",\"typ\":\"JWT\"}");
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var payload = Base64UrlEncoder.Encode($"{{\"sub\":\"1\",\"role\":\"admin\",\"iss\":\"scalableapi\",\"aud\":\"scalableapi\",\"exp\":{now + 3600},\"nbf\":{now}}}");
        await AssertRejected($"{header}.{payload}.");
    }

    [Fact]
    public async Task Hmac_token_keyed_with_the_public_key_is_rejected()
    {
        // The classic key-confusion attack: sign HS256 with the (public) verification key's bytes.
        var publicJwk = JsonWebKeyConverter.ConvertFromSecurityKey(App.Tokens.SigningKey);
        var secret = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(publicJwk.X + publicJwk.Y + "padding-to-32-bytes-at-least!!")) { KeyId = App.Tokens.SigningKey.KeyId };
        var token = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = "scalableapi",
            Audience = "scalableapi",
            Expires = DateTime.UtcNow.AddHours(1),
            Subject = new ClaimsIdentity([new Claim("sub", "1"), new Claim("role", "admin")]),
            SigningCredentials = new SigningCredentials(secret, SecurityAlgorithms.HmacSha256),
        });
        await AssertRejected(token);
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("a.b.c")]
    public async Task Malformed_token_is_rejected(string token) => await AssertRejected(token);

    private async Task AssertRejected(string token)
    {
        using var client = App.CreateClient(token);
        using var response = await client.GetAsync("/probe/secure");
        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Unauthorized);
    }
}
