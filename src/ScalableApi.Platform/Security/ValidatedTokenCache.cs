using System.Buffers;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ScalableApi.Platform.Security;

/// <summary>
/// The token handler JwtBearer calls: an ES256 signature check costs ~250 µs and a signed-in request pays it at
/// the gateway and again at the service, so a token that validated once is remembered, by its SHA-256, until it
/// expires (at most <see cref="AuthOptions.ValidatedTokenLifetime"/>), in a bounded memory cache. A hit re-checks
/// only what can change while the token is unchanged: the clock (expiry, on the platform's one clock) and whether
/// its signing key is still published; revocations run after this in <c>OnTokenValidated</c> on every request.
/// A miss fetches an unknown key id first, then validates as before; only successes are remembered.
/// </summary>
internal sealed class ValidatedTokenCache : TokenHandler, IDisposable
{
    private readonly JsonWebTokenHandler _inner = new() { MapInboundClaims = false };
    private readonly ISigningKeySource _keys;
    private readonly TimeProvider _time;
    private readonly TimeSpan _lifetime;
    private readonly MemoryCache? _cache;

    public ValidatedTokenCache(ISigningKeySource keys, TimeProvider time, AuthOptions options)
    {
        _keys = keys;
        _time = time;
        _lifetime = options.ValidatedTokenLifetime;
        _cache = options.ValidatedTokenCacheSize > 0 && _lifetime > TimeSpan.Zero
            ? new MemoryCache(new MemoryCacheOptions { SizeLimit = options.ValidatedTokenCacheSize })
            : null;
    }

    public override async Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
    {
        var digest = _cache is null ? default : Digest(token);
        if (_cache is not null && _cache.TryGetValue(digest, out Entry? entry) && entry is not null
            && _time.GetUtcNow() < entry.ValidUntil && IsPublished(entry.KeyId))
        {
            // A fresh identity per request: the principal built from it is the request's to change.
            return new TokenValidationResult
            {
                IsValid = true,
                ClaimsIdentity = entry.Identity.Clone(),
                SecurityToken = entry.Token,
                Issuer = entry.Token.Issuer,
                TokenType = entry.Token.Typ,
            };
        }

        var kid = KeyIdOf(token);
        if (kid.IsValid)
        {
            // The resolver JwtBearer calls is synchronous: an unknown key id is fetched here, before validation.
            await _keys.EnsureKeyAsync(kid.Value, CancellationToken.None);
        }

        var result = await _inner.ValidateTokenAsync(token, validationParameters);
        if (_cache is not null && result is { IsValid: true, ClaimsIdentity: { } identity, SecurityToken: JsonWebToken jwt })
        {
            var validUntil = Min(new DateTimeOffset(jwt.ValidTo, TimeSpan.Zero), _time.GetUtcNow() + _lifetime);
            using var cached = _cache.CreateEntry(digest);
            cached.Value = new Entry(identity.Clone(), jwt, jwt.Kid, validUntil);
            cached.Size = 1;
            // The memory bound: an entry leaves by this clock too, even if nobody presents the token again.
            cached.AbsoluteExpirationRelativeToNow = validUntil - _time.GetUtcNow() is { Ticks: > 0 } left ? left : TimeSpan.FromSeconds(1);
        }

        return result;
    }

    public override SecurityToken ReadToken(string token) => _inner.ReadToken(token);

    public void Dispose() => _cache?.Dispose();

    private bool IsPublished(string? keyId)
    {
        foreach (var key in _keys.GetKeys())
        {
            if (string.Equals(key.KeyId, keyId, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private static (bool IsValid, string? Value) KeyIdOf(string token)
    {
        try
        {
            return (true, new JsonWebToken(token).Kid);
        }
        catch (ArgumentException)
        {
            return (false, null); // Not a JWT at all: validation rejects it with 401.
        }
    }

    private static Digest Digest(string token)
    {
        var length = Encoding.UTF8.GetMaxByteCount(token.Length);
        var rented = length <= 4096 ? null : ArrayPool<byte>.Shared.Rent(length);
        Span<byte> bytes = rented ?? stackalloc byte[4096];
        var written = Encoding.UTF8.GetBytes(token, bytes);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(bytes[..written], hash);
        if (rented is not null)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }

        return new Digest(
            BitConverter.ToUInt64(hash[..8]), BitConverter.ToUInt64(hash[8..16]),
            BitConverter.ToUInt64(hash[16..24]), BitConverter.ToUInt64(hash[24..]));
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    private sealed record Entry(ClaimsIdentity Identity, JsonWebToken Token, string? KeyId, DateTimeOffset ValidUntil);
}

/// <summary>A token's SHA-256: the cache key, so the cache holds no bearer credential.</summary>
internal readonly record struct Digest(ulong A, ulong B, ulong C, ulong D);
