using System.Buffers.Text;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using ScalableApi.Users.Accounts;
using ScalableApi.Users.Keys;

namespace ScalableApi.Users.Auth;

/// <summary>
/// Issues token pairs: an ES256 access token (sub, role, name) and an opaque refresh token of 32 random bytes,
/// stored only as its SHA-256. Refresh tokens rotate: each use spends the token and issues the next one of the
/// same family; presenting a spent token again means it was stolen (or replayed), so the whole family is revoked.
/// </summary>
internal sealed class TokenService(
    IDatabase database,
    SigningKeyStore keys,
    IOptions<UsersOptions> users,
    IOptions<AuthOptions> auth,
    TimeProvider time)
{
    public const string TokenType = "Bearer";

    private readonly JsonWebTokenHandler _handler = new();

    /// <summary>A new session (a new token family) for a user who just proved their password.</summary>
    public async Task<TokenResponse> IssueAsync(User user, CancellationToken cancellationToken)
    {
        var now = UnixTime.Now(time);
        var refreshToken = NewRefreshToken();
        await using var connection = await database.OpenWriteAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await RefreshTokenStore.DeleteExpiredForUserAsync(connection, transaction, user.Id, now, cancellationToken);
        await RefreshTokenStore.InsertAsync(
            connection, transaction, user.Id, Guid.NewGuid().ToString("N"), Hash(refreshToken), now, now + RefreshLifetimeMs, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return Pair(user, refreshToken);
    }

    /// <summary>The next pair of the token's family, or null (→ 401) for an unknown, expired, revoked or spent token.</summary>
    public async Task<TokenResponse?> RefreshAsync(string refreshToken, CancellationToken cancellationToken)
    {
        var now = UnixTime.Now(time);
        var hash = Hash(refreshToken);
        await using var connection = await database.OpenWriteAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var spent = await RefreshTokenStore.SpendAsync(connection, transaction, hash, now, cancellationToken);
        if (spent is null)
        {
            if (await RefreshTokenStore.FindSpentFamilyAsync(connection, transaction, hash, cancellationToken) is { } family)
            {
                await RefreshTokenStore.RevokeFamilyAsync(connection, transaction, family, now, cancellationToken);
                await transaction.CommitAsync(cancellationToken);
            }

            return null;
        }

        var user = await UserStore.FindAsync(connection, spent.UserId, transaction, cancellationToken);
        if (user is null)
        {
            return null; // Deleted meanwhile; the cascade removes the token rows.
        }

        var next = NewRefreshToken();
        await RefreshTokenStore.InsertAsync(connection, transaction, user.Id, spent.FamilyId, Hash(next), now, now + RefreshLifetimeMs, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return Pair(user, next);
    }

    /// <summary>Hex SHA-256: the refresh token itself is 256 random bits, so a plain hash is enough (no salt, no stretching).</summary>
    public static string Hash(string refreshToken) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(refreshToken)));

    private long RefreshLifetimeMs => (long)users.Value.RefreshTokenLifetime.TotalMilliseconds;

    private static string NewRefreshToken() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    private TokenResponse Pair(User user, string refreshToken)
    {
        var lifetime = users.Value.AccessTokenLifetime;
        var issuedAt = time.GetUtcNow().UtcDateTime;
        var claims = new List<Claim>
        {
            new(TokenClaims.Subject, user.Id.ToString(CultureInfo.InvariantCulture)),
            new(TokenClaims.Role, user.Role),
            new(TokenClaims.Name, user.Name),
        };
        var accessToken = _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = auth.Value.Issuer,
            Audience = auth.Value.Audience,
            IssuedAt = issuedAt,
            NotBefore = issuedAt,
            Expires = issuedAt + lifetime,
            Subject = new ClaimsIdentity(claims),
            SigningCredentials = keys.GetSigningCredentials(),
        });
        return new TokenResponse(accessToken, TokenType, (long)lifetime.TotalSeconds, refreshToken);
    }
}
