using System.Buffers.Text;
using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using ScalableApi.Contracts;
using ScalableApi.Users.Keys;

namespace ScalableApi.Users.Tests.Auth;

/// <summary>What the issued tokens contain, what the JWKS publishes, and every forged token the service must refuse.</summary>
public abstract class TokenValidationTests(UsersFactory factory)
{
    private SigningKeyStore Keys => factory.Services.GetRequiredService<SigningKeyStore>();

    [SkippableFact]
    public async Task Access_token_is_ES256_with_kid_sub_role_name_issuer_audience_and_one_hour_lifetime()
    {
        var user = await factory.NewUserAsync("Token Owner");
        var token = new JsonWebToken(user.AccessToken);

        Assert.Equal(SecurityAlgorithms.EcdsaSha256, token.Alg);
        Assert.Contains(Keys.GetVerificationKeys(), k => k.Kid == token.Kid);
        Assert.Equal(user.Id.ToString(CultureInfo.InvariantCulture), token.Subject);
        Assert.Equal(Roles.User, token.GetClaim("role").Value);
        Assert.Equal("Token Owner", token.GetClaim("name").Value);
        Assert.Equal("scalableapi", token.Issuer);
        Assert.Equal(["scalableapi"], token.Audiences);
        Assert.Equal(TimeSpan.FromHours(1), token.ValidTo - token.IssuedAt);
    }

    [SkippableFact]
    public async Task Jwks_publishes_public_EC_keys_only_with_cache_control_and_verifies_issued_tokens()
    {
        var user = await factory.NewUserAsync();
        using var client = factory.CreateClient();
        var response = await client.GetAsync("/.well-known/jwks.json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("public, max-age=300", response.Headers.CacheControl?.ToString());
        var json = await response.Content.ReadAsStringAsync();
        var keys = JsonDocument.Parse(json).RootElement.GetProperty("keys").EnumerateArray().ToList();
        Assert.NotEmpty(keys);
        foreach (var key in keys)
        {
            Assert.Equal("EC", key.GetProperty("kty").GetString());
            Assert.Equal("P-256", key.GetProperty("crv").GetString());
            Assert.Equal("ES256", key.GetProperty("alg").GetString());
            Assert.Equal("sig", key.GetProperty("use").GetString());
            Assert.False(string.IsNullOrEmpty(key.GetProperty("kid").GetString()));
            Assert.False(key.TryGetProperty("d", out _), "the private part must never be published");
        }

        // What every other service does with it (Platform's JwksSigningKeySource): the issued token verifies.
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(user.AccessToken, new TokenValidationParameters
        {
            ValidIssuer = "scalableapi",
            ValidAudience = "scalableapi",
            ValidAlgorithms = [SecurityAlgorithms.EcdsaSha256],
            IssuerSigningKeys = new JsonWebKeySet(json).GetSigningKeys(),
        });
        Assert.True(result.IsValid, result.Exception?.Message);
    }

    [SkippableFact]
    public async Task Profile_returns_the_signed_in_user()
    {
        var user = await factory.NewUserAsync("Profile Owner");
        using var client = factory.CreateClient(user.AccessToken);
        var body = await client.GetFromJsonAsync<JsonElement>("/api/profile");

        Assert.Equal(user.Id, body.GetProperty("id").GetInt64());
        Assert.Equal(user.Email, body.GetProperty("email").GetString());
        Assert.Equal("Profile Owner", body.GetProperty("name").GetString());
        Assert.Equal(JsonValueKind.Null, body.GetProperty("age").ValueKind);
        Assert.Equal(Roles.User, body.GetProperty("role").GetString());
        Assert.EndsWith("Z", body.GetProperty("createdAt").GetString(), StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Profile_without_a_token_is_401()
    {
        using var client = factory.CreateClient();
        await ProblemAssert.IsProblemAsync(await client.GetAsync("/api/profile"), HttpStatusCode.Unauthorized);
    }

    [SkippableFact]
    public async Task Token_signed_by_another_key_with_our_kid_is_401()
    {
        var user = await factory.NewUserAsync();
        using var foreign = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var token = Sign(new ECDsaSecurityKey(foreign) { KeyId = ActiveKid() }, user.Id, Roles.Admin, DateTime.UtcNow);
        await AssertRejectedAsync(token);
    }

    [SkippableFact]
    public async Task Token_with_alg_none_is_401()
    {
        var user = await factory.NewUserAsync();
        var header = Encode(new { alg = "none", typ = "JWT", kid = ActiveKid() });
        await AssertRejectedAsync($"{header}.{Encode(Payload(user.Id, Roles.Admin))}.");
    }

    [SkippableFact]
    public async Task HS256_token_keyed_with_the_public_key_is_401()
    {
        var user = await factory.NewUserAsync();
        var kid = ActiveKid();
        using var client = factory.CreateClient();
        var jwks = await client.GetStringAsync("/.well-known/jwks.json");
        var jwk = JsonDocument.Parse(jwks).RootElement.GetProperty("keys").EnumerateArray().First(k => k.GetProperty("kid").GetString() == kid);
        var x = Base64Url.DecodeFromChars(jwk.GetProperty("x").GetString());
        var y = Base64Url.DecodeFromChars(jwk.GetProperty("y").GetString());

        // The classic algorithm-confusion attack, with every form of "the public key" a validator might use as the secret.
        byte[][] secrets = [Encoding.UTF8.GetBytes(jwk.GetRawText()), [.. x, .. y], [0x04, .. x, .. y], Encoding.UTF8.GetBytes(jwks)];
        foreach (var secret in secrets)
        {
            var signingInput = $"{Encode(new { alg = "HS256", typ = "JWT", kid })}.{Encode(Payload(user.Id, Roles.Admin))}";
            var signature = Base64Url.EncodeToString(HMACSHA256.HashData(secret, Encoding.ASCII.GetBytes(signingInput)));
            await AssertRejectedAsync($"{signingInput}.{signature}");
        }
    }

    [SkippableFact]
    public async Task Expired_token_signed_by_our_own_key_is_401()
    {
        var user = await factory.NewUserAsync();
        var token = Sign(Keys.GetSigningCredentials().Key, user.Id, Roles.User, DateTime.UtcNow.AddHours(-3));
        await AssertRejectedAsync(token);
    }

    [SkippableFact]
    public async Task Token_for_another_audience_or_issuer_is_401()
    {
        var user = await factory.NewUserAsync();
        var key = Keys.GetSigningCredentials().Key;
        await AssertRejectedAsync(Sign(key, user.Id, Roles.User, DateTime.UtcNow, audience: "someone-else"));
        await AssertRejectedAsync(Sign(key, user.Id, Roles.User, DateTime.UtcNow, issuer: "someone-else"));
    }

    [SkippableTheory]
    [InlineData("garbage")]
    [InlineData("a.b.c")]
    [InlineData("eyJhbGciOiJFUzI1NiJ9.e30.")]
    public async Task Malformed_token_is_401(string token) => await AssertRejectedAsync(token);

    [SkippableFact]
    public async Task A_valid_hand_made_token_from_our_key_is_accepted_which_proves_the_rejections_are_about_the_forgery()
    {
        var user = await factory.NewUserAsync();
        using var client = factory.CreateClient(Sign(Keys.GetSigningCredentials().Key, user.Id, Roles.User, DateTime.UtcNow));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/profile")).StatusCode);
    }

    private string ActiveKid() => Keys.GetVerificationKeys()[^1].Kid;

    private async Task AssertRejectedAsync(string token)
    {
        using var client = factory.CreateClient(token);
        await ProblemAssert.IsProblemAsync(await client.GetAsync("/api/profile"), HttpStatusCode.Unauthorized);
        // Claimed admin or not, a forged token never reaches an admin endpoint.
        await ProblemAssert.IsProblemAsync(await client.GetAsync("/api/users"), HttpStatusCode.Unauthorized);
    }

    private static string Sign(SecurityKey key, long userId, string role, DateTime issuedAt, string issuer = "scalableapi", string audience = "scalableapi") =>
        new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            IssuedAt = issuedAt,
            NotBefore = issuedAt,
            Expires = issuedAt.AddHours(1),
            Subject = new ClaimsIdentity([new Claim("sub", userId.ToString(CultureInfo.InvariantCulture)), new Claim("role", role)]),
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.EcdsaSha256),
        });

    private static Dictionary<string, object> Payload(long userId, string role)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        return new()
        {
            ["sub"] = userId.ToString(CultureInfo.InvariantCulture),
            ["role"] = role,
            ["iss"] = "scalableapi",
            ["aud"] = "scalableapi",
            ["iat"] = now,
            ["nbf"] = now,
            ["exp"] = now + 3600,
        };
    }

    private static string Encode(object value) => Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(value));
}

public sealed class SqliteTokenValidationTests(SqliteFixture factory) : TokenValidationTests(factory), IClassFixture<SqliteFixture>;

public sealed class PostgresTokenValidationTests(PostgresFixture factory) : TokenValidationTests(TestDatabase.RequirePostgres(factory)), IClassFixture<PostgresFixture>;
