using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using ScalableApi.Contracts;
using ScalableApi.Platform.Security;

namespace ScalableApi.Testing;

/// <summary>
/// An ES256 key pair standing in for the users service in tests of other services: it signs access tokens
/// and serves as the services' <see cref="ISigningKeySource"/>.
/// </summary>
public sealed class TestTokens : ISigningKeySource, IDisposable
{
    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly ECDsaSecurityKey _securityKey;
    private readonly JsonWebTokenHandler _handler = new();

    public TestTokens(string issuer = "scalableapi", string audience = "scalableapi")
    {
        Issuer = issuer;
        Audience = audience;
        _securityKey = new ECDsaSecurityKey(_key) { KeyId = "test-" + Guid.NewGuid().ToString("N")[..8] };
    }

    public string Issuer { get; }

    public string Audience { get; }

    public SecurityKey SigningKey => _securityKey;

    /// <summary>A valid access token for <paramref name="userId"/> with <paramref name="role"/>.</summary>
    public string Create(long userId, string role = Roles.User, TimeSpan? lifetime = null, DateTime? now = null)
    {
        var issuedAt = now ?? DateTime.UtcNow;
        return _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Audience,
            IssuedAt = issuedAt,
            NotBefore = issuedAt,
            Expires = issuedAt + (lifetime ?? TimeSpan.FromHours(1)),
            Subject = new ClaimsIdentity([new Claim(TokenClaims.Subject, userId.ToString(System.Globalization.CultureInfo.InvariantCulture)), new Claim(TokenClaims.Role, role)]),
            SigningCredentials = new SigningCredentials(_securityKey, SecurityAlgorithms.EcdsaSha256),
        });
    }

    /// <summary>An admin token for user 1.</summary>
    public string Admin(long userId = 1) => Create(userId, Roles.Admin);

    /// <summary>A token that has already expired.</summary>
    public string Expired(long userId) => Create(userId, Roles.User, TimeSpan.FromMinutes(5), DateTime.UtcNow.AddHours(-2));

    public ValueTask EnsureKeyAsync(string? keyId, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public IReadOnlyList<SecurityKey> GetKeys() => [_securityKey];

    public void Dispose() => _key.Dispose();
}
